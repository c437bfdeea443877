"""Entry points for the code that trains classifiers, each behind its extra.

- :mod:`textaug.integrations.hf`: ``augment_batch`` for Hugging Face ``Dataset.map``.
- :mod:`textaug.integrations.torch`: ``AugmentedDataset``, augmenting on the fly per epoch.
- :mod:`textaug.integrations.imblearn`: ``TextAugmentSampler``, topping up rare classes.
- :mod:`textaug.integrations.sklearn`: ``AugmentingClassifier``, augmenting training folds only.

Importing this package, or any of its modules, imports none of the optional packages.
"""

"""TF factories: each returns a ready :class:`~textaug.tf.TransformationFunction`.

A factory's name is also its ``--tf`` name on the command line.
"""

from textaug.tfs.aliases import swap_aliases

__all__ = ["swap_aliases"]

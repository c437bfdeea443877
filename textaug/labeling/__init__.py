"""Weak supervision: labeling functions, a fast applier, LF analysis and label models.

Work in progress (issue 12); the public names are re-exported here as their modules land.
"""

"""Did augmentation help, and what did it make: evaluation, diversity, invariance,
test-time augmentation and HTML inspection (issue 14; names are re-exported here as
they land)."""

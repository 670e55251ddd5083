"""Pure diagnosis: the catalogue of failure modes as data, and the classifiers that map evidence onto it."""

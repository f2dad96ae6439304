"""The standing reliability suite: hostile inputs of our own, faults and load."""

"""privbot: a privacy assistant for the people whose data QAZAR CLOUD TECHNOLOGIES holds."""

__version__ = "0.1.0"

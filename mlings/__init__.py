"""mlings: a rustlings-style course in practical ML engineering."""

__version__ = "0.1.0"

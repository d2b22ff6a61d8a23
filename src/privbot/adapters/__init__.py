"""Adapters: the thin layers between the pure core and the outside world."""

"""What every stage stands on: the CPU pin (imported first, by gan/__init__.py), the params'
schema, the real data and the noise, and files written atomically. Its one tie upward:
data.real_and_scored draws with stats/distributions.py's Mixture."""

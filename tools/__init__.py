"""Command-line tools around the pipeline (`make sweep`, `make check-metrics`)."""

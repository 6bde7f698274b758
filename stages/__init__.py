"""One thin script per DVC stage: read params, call `gan`, write outputs.

Run as modules from the repository root (`python -m stages.train`), which is what
`stages/run` does for DVC.
"""

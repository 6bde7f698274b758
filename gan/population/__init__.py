"""The population engine: one seed trained and scored in a worker, and the Dask cluster
the seeds run on."""

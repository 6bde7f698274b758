"""What people look at: the figures, the training history's tables, the sweep's report."""

"""The TensorFlow side: the networks, their losses and optimizer, the training loop, its
checkpoints and the exported SavedModels. Importing any of it imports TensorFlow."""

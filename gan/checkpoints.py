"""Checkpoints that let an interrupted `train` stage continue where it stopped.

A checkpoint holds the whole Trainer (networks, both optimizers, RNG state, epoch,
history and animation frames) plus a fingerprint of what produced it: the real data, the
params the stage reads and the training code. It is resumed only when the fingerprint
matches, so resuming gives exactly the run that was interrupted; anything else starts
fresh and says why. The folder is not a DVC output: it must survive DVC's removal of a
stage's outputs before the stage re-runs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from gan.tf_setup import tf

_FINGERPRINT_KEY = "fingerprint/.ATTRIBUTES/VARIABLE_VALUE"


def fingerprint(real: np.ndarray, settings: dict[str, Any], sources: list[Path]) -> str:
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(real).tobytes())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for source in sorted(sources):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


class Checkpoints:
    def __init__(self, directory: str | Path, trainer: tf.Module, fingerprint: str, keep: int):
        self.directory = Path(directory)
        self.trainer = trainer
        self.fingerprint = fingerprint
        self.checkpoint = tf.train.Checkpoint(
            trainer=trainer, fingerprint=tf.Variable(fingerprint, dtype=tf.string))
        self.keep = keep
        self.manager = self._manager()

    def _manager(self) -> tf.train.CheckpointManager:
        return tf.train.CheckpointManager(self.checkpoint, str(self.directory),
                                          max_to_keep=self.keep, checkpoint_name="ckpt")

    def save(self, epoch: int) -> str:
        return self.manager.save(checkpoint_number=epoch)

    def restore(self) -> tuple[int | None, str]:
        """Restore the newest valid checkpoint of this run. Returns (epoch or None, why)."""
        candidates = list(reversed(self.manager.checkpoints))
        if not candidates:
            return None, "no checkpoint found"
        pristine = self.trainer.state()
        reasons = []
        for path in candidates:
            name = Path(path).name
            try:
                stored = tf.train.load_checkpoint(path).get_tensor(_FINGERPRINT_KEY)
            except Exception as exc:  # corrupt, truncated or foreign files
                reasons.append(f"{name} is unreadable ({type(exc).__name__}), skipped")
                continue
            if stored.decode() != self.fingerprint:
                reasons.append(f"{name} belongs to other data, params or code")
                continue
            try:
                self.checkpoint.read(path).assert_existing_objects_matched()
            except Exception as exc:
                self.trainer.set_state(pristine)
                reasons.append(f"{name} could not be restored ({type(exc).__name__}), skipped")
                continue
            epoch = int(self.trainer.epoch.numpy())
            return epoch, "; ".join(reasons + [f"resuming from {name} (epoch {epoch})"])
        return None, "; ".join(reasons)

    def clear(self) -> None:
        """Forget checkpoints that cannot be resumed, so they never mix with this run's."""
        shutil.rmtree(self.directory, ignore_errors=True)
        self.manager = self._manager()

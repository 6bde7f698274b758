"""Checkpoints that let an interrupted `train` stage continue where it stopped.

A checkpoint holds the whole Trainer (networks, both optimizers, RNG state, epoch,
history and animation frames) plus a fingerprint of what produced it: the real data, the
params the stage reads and the training code. It is resumed only when the fingerprint
matches, so resuming gives exactly the run that was interrupted; anything else starts
fresh and says why. The folder is not a DVC output: it must survive DVC's removal of a
stage's outputs before the stage re-runs.

Each configuration (fingerprint) has a folder of its own, `<directory>/<fingerprint[:16]>`,
so going back to the defaults after `dvc exp run -S train.lr=0.05` resumes the defaults'
run instead of retraining. The folders of the `keep_configurations` most recently used
other configurations are kept, older ones deleted: a bounded number of small files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from gan.training.tf_setup import tf

import numpy as np

_FINGERPRINT_KEY = "fingerprint/.ATTRIBUTES/VARIABLE_VALUE"


def fingerprint(real: np.ndarray, settings: dict[str, Any], code: str) -> str:
    """What a checkpoint must match to be resumed: the real data, the params a run's
    results depend on (gan.infra.params.results_settings) and the code's digest."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(real).tobytes())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(code.encode())
    return digest.hexdigest()


class Checkpoints:
    def __init__(
        self,
        directory: str | Path,
        trainer: tf.Module,
        fingerprint: str,
        keep: int,
        keep_configurations: int = 4,
    ):
        self.root = Path(directory)
        self.directory = self.root / fingerprint[:16]
        self.keep_configurations = keep_configurations
        self.trainer = trainer
        self.fingerprint = fingerprint
        self.checkpoint = tf.train.Checkpoint(
            trainer=trainer, fingerprint=tf.Variable(fingerprint, dtype=tf.string)
        )
        self.keep = keep
        self.manager = self._manager()

    def _manager(self) -> tf.train.CheckpointManager:
        return tf.train.CheckpointManager(
            self.checkpoint, str(self.directory), max_to_keep=self.keep, checkpoint_name="ckpt"
        )

    def save(self, epoch: int) -> str:
        path = self.manager.save(checkpoint_number=epoch)
        self._prune()
        return path

    def _others(self) -> list[Path]:
        """Other configurations' folders, most recently used first."""
        if not self.root.is_dir():
            return []
        found = [p for p in self.root.iterdir() if p.is_dir() and p != self.directory]
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)

    def _prune(self) -> None:
        for old in self._others()[self.keep_configurations :]:
            shutil.rmtree(old, ignore_errors=True)

    def restore(self, finished_at: int | None = None) -> tuple[int | None, str]:
        """Restore the newest valid checkpoint of this run. Returns (epoch or None, why).

        A checkpoint is for finishing an interrupted run: if the newest one is at
        `finished_at` (the run's last epoch), nothing is restored, so a run started again
        (`dvc repro -f`) trains again from the start instead of only exporting."""
        candidates = list(reversed(self.manager.checkpoints))
        if not candidates:
            others = len(self._others())
            kept = f" ({others} kept for other data, params or code)" if others else ""
            return None, f"no checkpoint of these data, params and code{kept}"
        newest = Path(candidates[0]).name
        if finished_at is not None and int(newest.rsplit("-", 1)[1]) >= finished_at:
            return None, f"{newest} is a finished run: training again from the start"
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
                # restore, not read: the file also holds the save counter that
                # CheckpointManager.save keeps, and leaving it unread made TensorFlow warn
                # about unrestored values at exit.
                self.checkpoint.restore(path).assert_consumed()
            except Exception as exc:
                self.trainer.set_state(pristine)
                reasons.append(f"{name} could not be restored ({type(exc).__name__}), skipped")
                continue
            epoch = int(self.trainer.epoch.numpy())
            os.utime(self.directory)  # used now: the last folder to be pruned
            return epoch, "; ".join(reasons + [f"resuming from {name} (epoch {epoch})"])
        return None, "; ".join(reasons)

    def clear(self) -> None:
        """Forget this configuration's checkpoints that cannot be resumed (unreadable, or
        a fresh start was asked for), so they never mix with this run's."""
        shutil.rmtree(self.directory, ignore_errors=True)
        self.manager = self._manager()
        self._prune()

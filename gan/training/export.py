"""Export the trained networks as SavedModels that plain TensorFlow loads, with no import
of this package:

    g = tf.saved_model.load("models/generator").signatures["serving_default"]
    x = g(z=tf.random.normal([5, 8]))["x"]    # [5, 1]; z drawn as params' model.noise
    d = tf.saved_model.load("models/discriminator").signatures["serving_default"]
    p = d(x=x)["d"]                                          # D(x) in (0, 1)

The discriminator also has a `logit` signature (the losses need the logit, not D(x)).

Byte-stable exports: TensorFlow names traced functions after a process-wide counter
(`__inference_serve_32069`), so the same model saved after a fresh run and after a
resumed one would differ in saved_model.pb. After saving, every function is renamed
canonically (its number replaced by its rank among the saved functions, which keeps
their order), wherever the SavedModel names it; and fingerprint.pb, which holds a random
UUID and is not needed to load, is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from gan.infra import files
from gan.training.networks import MLP, stack
from gan.training.tf_setup import tf

import numpy as np
from tensorflow.core.protobuf import saved_model_pb2

_NUMBERED = re.compile(r"^(.*_)(\d+)$")


def _frozen(weights: list[np.ndarray], name: str) -> MLP:
    """One seed's network (a block of one), for samples x [B, n_in]: `net.one(x)`."""
    net = MLP(stack([weights]), name=name)
    net.one = lambda x: net(x[None])[0]
    return net


def _detached(message):
    copy = type(message)()
    copy.CopyFrom(message)
    return copy


def _rename(message, names: dict) -> None:
    """Replace every string or bytes field, repeated or not, and map key of a protobuf message
    (recursively) that is exactly one of `names`."""
    for field, value in message.ListFields():
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            holds_messages = field.message_type.fields_by_name["value"].message_type is not None
            # renamed entries are taken out (as copies) before any is put back, so a new
            # name never overwrites an entry still to be renamed
            moving = [
                (names[k], _detached(value[k]) if holds_messages else value[k])
                for k in list(value)
                if k in names
            ]
            for k in [k for k in list(value) if k in names]:
                del value[k]
            for k, v in moving:
                if holds_messages:
                    value[k].CopyFrom(v)
                else:
                    value[k] = v
            if holds_messages:
                for v in value.values():
                    _rename(v, names)
        elif field.type == field.TYPE_MESSAGE:
            for item in value if field.is_repeated else [value]:
                _rename(item, names)
        elif field.type in (field.TYPE_STRING, field.TYPE_BYTES):
            if field.is_repeated:
                value[:] = [names.get(v, v) for v in value]
            elif value in names:
                setattr(message, field.name, names[value])


def _user_specified_numbers(message, found: set[bytes]) -> None:
    """Every all-digit `_user_specified_name` attribute: TensorFlow gives some arguments
    the counter's value as their name."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            if field.message_type.fields_by_name["value"].message_type is None:
                continue
            for key, item in value.items():
                if key == "_user_specified_name" and item.s.isdigit():
                    found.add(item.s)
                _user_specified_numbers(item, found)
        else:
            for item in value if field.is_repeated else [value]:
                _user_specified_numbers(item, found)


def canonical_names(pb: Path) -> None:
    """Rename the SavedModel's functions so that no name depends on how much the process
    traced before: `__inference_serve_32069` becomes `__inference_serve_<rank>`, the
    rank being the function's place among all saved functions in the counter's order;
    arguments named after the counter (`_user_specified_name: "262188"`) likewise."""
    model = saved_model_pb2.SavedModel()
    model.ParseFromString(pb.read_bytes())
    functions = [f.signature.name for graph in model.meta_graphs for f in graph.graph_def.library.function]
    numbered = sorted((int(m.group(2)), name) for name in functions if (m := _NUMBERED.match(name)))
    names: dict = {
        name: _NUMBERED.match(name).group(1) + str(rank) for rank, (_, name) in enumerate(numbered)
    }
    digits: set[bytes] = set()
    _user_specified_numbers(model, digits)
    names.update({old: str(rank).encode() for rank, old in enumerate(sorted(digits, key=int))})
    _rename(model, names)
    for graph in model.meta_graphs:  # listed by name: put them in the new names' order
        graph.graph_def.library.function.sort(key=lambda f: f.signature.name)
    pb.write_bytes(model.SerializeToString(deterministic=True))


def _save(module: tf.Module, path: str | Path, signatures: dict) -> None:
    def fill(tmp: Path) -> None:
        tf.saved_model.save(module, str(tmp), signatures=signatures)
        canonical_names(tmp / "saved_model.pb")
        (tmp / "fingerprint.pb").unlink(missing_ok=True)

    files.replace_dir(path, fill)


def generator_net(weights: list[np.ndarray]) -> MLP:
    """G as it is exported: `serve` maps z to {"x": G(z)}. What a population scores in
    memory is this same function, so it computes what the SavedModel computes."""
    net = _frozen(weights, "generator")
    g_input = weights[0].shape[0]

    @tf.function(input_signature=[tf.TensorSpec([None, g_input], tf.float32, name="z")])
    def serve(z):
        return {"x": net.one(z)}

    net.serve = serve
    return net


def discriminator_net(weights: list[np.ndarray]) -> MLP:
    """D as it is exported: `serve` maps x to {"d": D(x)}, `logit` to {"logit": its logit}."""
    net = _frozen(weights, "discriminator")
    spec = tf.TensorSpec([None, 1], tf.float32, name="x")

    @tf.function(input_signature=[spec])
    def serve(x):
        return {"d": tf.sigmoid(net.one(x))}

    @tf.function(input_signature=[spec])
    def logit(x):
        return {"logit": net.one(x)}

    net.serve, net.logit = serve, logit
    return net


def export_generator(path: str | Path, weights: list[np.ndarray]) -> None:
    net = generator_net(weights)
    _save(net, path, {"serving_default": net.serve})


def export_discriminator(path: str | Path, weights: list[np.ndarray]) -> None:
    net = discriminator_net(weights)
    _save(net, path, {"serving_default": net.serve, "logit": net.logit})


def load_signature(path: str | Path, name: str = "serving_default"):
    """A signature of an exported model, or a clear error naming the folder."""
    path = Path(path)
    if not (path / "saved_model.pb").exists():
        raise FileNotFoundError(f"{path}: no SavedModel here (run the 'train' stage first)")
    return tf.saved_model.load(str(path)).signatures[name]

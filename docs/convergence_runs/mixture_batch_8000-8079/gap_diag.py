"""gap_diag.py SEEDS key=value...: the mixture preset (of d0ba3c0: batches of 300) plus the
overrides, trained in process on data/real.npy of the two-mode mixture; per seed, the share of
the generated samples in the gap (|x| < 0.5, over 3 stds from both modes), beyond the modes
(|x| > 3.5), their std and the share left of 0, for the moving average and for G itself. Run
from a clone with d_pack_prototype.patch applied; its output is in gap_diag.txt."""
import sys, numpy as np, yaml
from gan.infra import params, data
from gan.training import runs
raw = yaml.safe_load(open("params.yaml"))
raw["model"]["d_pack"] = 1
for a in params.preset_overrides("mixture") + sys.argv[2:]:
    k, v = a.split("=", 1); s, kk = k.split("."); raw[s][kk] = yaml.safe_load(v)
yaml.safe_dump(raw, open("/tmp/diag_params.yaml", "w"))
p = params.load("/tmp/diag_params.yaml")
real = np.load("data/real.npy")
seeds = tuple(params.parse_seeds(sys.argv[1]))
block = runs.trainer(p, real, seeds)
runs.train(p, real, block)
ev, model = p["evaluate"], p["model"]
z = data.noise(ev.n_samples, model.g_input, ev.seed, model.noise)
for i, s in enumerate(seeds):
    nets = runs.Networks.weighted(*runs.weights_of(block, i))
    for name, gen in (("ema", nets.generate), ("raw", nets.generate_raw)):
        x = gen(z).ravel()
        gap = np.mean(np.abs(x) < 0.5); outer = np.mean(np.abs(x) > 3.5)
        print(f"{s} {name} gap {gap:.4f} outer {outer:.4f} std {x.std():.3f} left {np.mean(x<0):.3f}", flush=True)

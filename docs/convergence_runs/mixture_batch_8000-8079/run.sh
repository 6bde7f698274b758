#!/bin/bash
# The mixture preset's tuning of 2026-12-06 on seeds 8000-8079 (8000-8019 as before, 8020-8079
# new), each a population by codes_tune.sh (rows in OUT, default /tmp/tune), in a clone of the
# project at d0ba3c0 (REPO, default /tmp/q) with d_pack_prototype.patch applied: D judging packs
# of m samples (PacGAN), its gradient by the tape; with d_pack=1 it computes the committed
# code's bits. The preset then had batches of 300; the runs named b* set other batches.
set -u
tune=$(dirname "$0")/../mixture_tuning_8000-8019/codes_tune.sh
run() { bash "$tune" "$@"; }
run p0 8000-8039 model.d_pack=1                    # the preset
run p0b 8040-8079 model.d_pack=1
run p2 8000-8039 model.d_pack=2                    # packs of 2
run p2b 8040-8079 model.d_pack=2
run p4 8000-8039 model.d_pack=4
run r1_001 8000-8039 model.d_pack=1 train.r1_gamma=0.01
run dlr05 8000-8039 model.d_pack=1 train.d_lr_ratio=0.5
run b100 8000-8039 model.d_pack=1 train.batch_size=100   # batches of 100
run b100b 8040-8079 model.d_pack=1 train.batch_size=100
run b100_lr4 8000-8039 model.d_pack=1 train.batch_size=100 train.lr=4.0e-3
run b50 8000-8039 model.d_pack=1 train.batch_size=50

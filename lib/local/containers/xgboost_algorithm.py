"""Built-in XGBoost algorithm mode, as the SageMaker XGBoost container 1.7-1 runs it.

Emulates: aws/sagemaker-xgboost-container, branch 1.7-1 (xgboost 1.7.4), following
  src/sagemaker_xgboost_container/training.py            (run_algorithm_mode: config files, SM_* env)
  src/sagemaker_xgboost_container/algorithm_mode/train.py (sagemaker_train, train_job, model saving)
  src/sagemaker_xgboost_container/algorithm_mode/hyperparameter_validation.py (names, num_round required)
  src/sagemaker_xgboost_container/algorithm_mode/train_utils.py (eval_metric + _tuning_objective_metric union)
  src/sagemaker_xgboost_container/algorithm_mode/metrics.py (validation:<metric> definitions)
  src/sagemaker_xgboost_container/data_utils.py           (content types, csv label first / libsvm)
  src/sagemaker_xgboost_container/callback.py + checkpointing.py (checkpoints)
Local additions: the master host (algo-1) of a multi-host job also reads the other hosts' channel
directories (env SM_LOCAL_PEER_CHANNEL_DIRS, JSON {channel: [dirs]}), because Rabit data-parallel
training equals training on the union of the shards; other hosts (SM_LOCAL_XGB_ROLE=worker) only
validate their shard, and (as in the container, train_job is_master) only the master saves the model.
"""
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import traceback

FAILURE_FILE = "/opt/ml/output/failure"
MODEL_NAME = "xgboost-model"  # constants/xgb_constants.py
CHECKPOINT_FILENAME = "xgboost-checkpoint"  # checkpointing.py

# constants/xgb_constants.py
XGB_MAXIMIZE_METRICS = ["accuracy", "auc", "aucpr", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "map",
                        "ndcg", "precision", "r2", "recall", "precision_macro", "precision_micro", "recall_macro",
                        "recall_micro"]
XGB_MINIMIZE_METRICS = ["aft-nloglik", "cox-nloglik", "error", "gamma-deviance", "gamma-nloglik",
                        "interval-regression-accuracy", "logloss", "mae", "mape", "merror", "mlogloss", "mphe",
                        "mse", "poisson-nloglik", "rmse", "rmsle", "tweedie-nloglik"]
# Metrics the container computes itself (metrics/custom_metrics.py), not xgboost.
CUSTOM_METRICS = ["accuracy", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "mse", "precision",
                  "precision_macro", "precision_micro", "r2", "recall", "recall_macro", "recall_micro"]

OBJECTIVES = ["aft_loss_distribution", "binary:logistic", "binary:logitraw", "binary:hinge", "count:poisson",
              "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear",
              "reg:squarederror", "reg:logistic", "reg:gamma", "reg:pseudohubererror", "reg:squaredlogerror",
              "reg:absoluteerror", "reg:tweedie", "survival:aft", "survival:cox"]

I, F, C, L = "int", "float", "categorical", "list"
# hyperparameter_validation.py: name -> (type, allowed values or (min, max) closed bounds or None)
HYPERPARAMETERS = {
    "num_round": (I, (1, None)), "csv_weights": (I, (0, 1)), "early_stopping_rounds": (I, (1, None)),
    "booster": (C, ["gbtree", "gblinear", "dart"]), "verbosity": (I, (0, 3)), "nthread": (I, (1, None)),
    "eta": (F, (0, 1)), "gamma": (F, (0, None)), "max_depth": (I, (0, None)), "min_child_weight": (F, (0, None)),
    "max_delta_step": (F, (0, None)), "subsample": (F, (0, 1)), "colsample_bytree": (F, (0, 1)),
    "colsample_bylevel": (F, (0, 1)), "colsample_bynode": (F, (0, 1)), "lambda": (F, (0, None)),
    "alpha": (F, (0, None)), "tree_method": (C, ["auto", "exact", "approx", "hist", "gpu_hist"]),
    "sketch_eps": (F, (0, 1)), "scale_pos_weight": (F, (0, None)), "updater": (L, None),
    "dsplit": (C, ["row", "col"]), "refresh_leaf": (I, (0, 1)), "process_type": (C, ["default", "update"]),
    "grow_policy": (C, ["depthwise", "lossguide"]), "max_leaves": (I, (0, None)), "max_bin": (I, (0, None)),
    "predictor": (C, ["auto", "cpu_predictor", "gpu_predictor"]), "monotone_constraints": (L, None),
    "interaction_constraints": (L, None), "sample_type": (C, ["uniform", "weighted"]),
    "normalize_type": (C, ["tree", "forest"]), "rate_drop": (F, (0, 1)), "one_drop": (I, (0, 1)),
    "skip_drop": (F, (0, 1)), "lambda_bias": (F, (0, 1)), "tweedie_variance_power": (F, (1, 2)),
    "objective": (C, OBJECTIVES), "num_class": (I, (2, None)), "base_score": (F, (0, None)),
    "_kfold": (I, (2, None)), "_num_cv_round": (I, (1, None)), "_tuning_objective_metric": (C, None),
    "eval_metric": (L, None), "seed": (I, None), "num_parallel_tree": (I, (1, None)),
    "save_model_on_termination": (C, ["true", "false"]), "aft_loss_distribution": (C, ["normal", "logistic", "extreme"]),
    "aft_loss_distribution_scale": (F, (0, None)), "deterministic_histogram": (C, ["true", "false"]),
    "sampling_method": (C, ["uniform", "gradient_based"]), "prob_buffer_row": (F, (1, None)),
    "use_dask_gpu_training": (C, ["true", "false"]),
}


class UserError(Exception):
    pass


def fail(message):
    """The container writes its error to /opt/ml/output/failure and exits 1 (sagemaker_algorithm_toolkit)."""
    os.makedirs(os.path.dirname(FAILURE_FILE), exist_ok=True)
    with open(FAILURE_FILE, "w") as f:
        f.write(message)
    logging.error(message)
    sys.exit(1)


def read_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def validate_hyperparameters(raw):
    """hyperparameter_validation.py / sagemaker_algorithm_toolkit Hyperparameters.validate."""
    if "num_round" not in raw:
        raise UserError("Missing required hyperparameter: num_round")
    out = {}
    for name, value in raw.items():
        if name not in HYPERPARAMETERS:
            raise UserError("Extraneous hyperparameter found: {}".format(name))
        kind, allowed = HYPERPARAMETERS[name]
        text = str(value)
        try:
            if kind == I:
                parsed = int(float(text)) if float(text) == int(float(text)) else int(text)
            elif kind == F:
                parsed = float(text)
            elif kind == L:
                parsed = [v.strip() for v in text.split(",") if v.strip()] if name in ("eval_metric", "updater") else text
            else:
                parsed = text
        except ValueError as e:
            raise UserError("Hyperparameter {}: could not parse value".format(name)) from e
        if kind in (I, F) and isinstance(allowed, tuple):
            lo, hi = allowed
            if (lo is not None and parsed < lo) or (hi is not None and parsed > hi):
                raise UserError("Hyperparameter {}: {} is not in {}".format(name, parsed, allowed))
        if kind == C and isinstance(allowed, list) and parsed not in allowed:
            raise UserError("Hyperparameter {}: {} is not in {}".format(name, parsed, allowed))
        out[name] = parsed
    if "_tuning_objective_metric" in out:
        names = ["validation:" + m for m in XGB_MAXIMIZE_METRICS + XGB_MINIMIZE_METRICS]
        if out["_tuning_objective_metric"] not in names:
            raise UserError("Hyperparameter _tuning_objective_metric: {} is not in {}".format(out["_tuning_objective_metric"], names))
    return out


def content_type_of(value):
    """data_utils.get_content_type: no ContentType means libsvm; csv allows label_size=1 only."""
    if value is None:
        return "libsvm"
    parts = [p.strip() for p in value.lower().split(";")]
    ct, params = parts[0], dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    if ct in ("csv", "text/csv"):
        if params.get("label_size", "1") != "1":
            raise UserError("{} is not an accepted csv ContentType. Optional parameter label_size must be equal to 1".format(value))
        return "csv"
    if ct in ("libsvm", "text/libsvm", "text/x-libsvm"):
        return "libsvm"
    if ct in ("parquet", "application/x-parquet", "application/x-recordio-protobuf", "recordio-protobuf"):
        raise UserError("ContentType {} is not emulated by the local runner (use text/csv or text/libsvm).".format(value))
    raise UserError("Content-type {} is not supported. Please use csv, libsvm, parquet or recordio-protobuf.".format(value))


def data_files(paths):
    """All regular files of the channel directories (data_utils reads every file of the channel)."""
    files = []
    for path in paths:
        if not path or not os.path.isdir(path):
            continue
        for root, dirs, names in os.walk(path):
            dirs.sort()
            for n in sorted(names):
                if n.startswith(".") or n.endswith(".sagemaker-ignore"):
                    continue
                files.append(os.path.join(root, n))
    return files


def csv_delimiter(line):
    """data_utils._get_csv_delimiter: csv.Sniffer on the first line, ',' when it sniffs an alphanumeric."""
    import csv
    try:
        d = csv.Sniffer().sniff(line[:512]).delimiter
    except csv.Error:
        d = ","
    return "," if d.isalnum() else d


def load_dmatrix(paths, content_type, csv_weights, tmpdir, name):
    import xgboost as xgb
    files = data_files(paths)
    if not files or sum(os.path.getsize(f) for f in files) == 0:
        return None
    joined = os.path.join(tmpdir, name + "." + content_type)
    with open(joined, "wb") as out:
        for f in files:
            with open(f, "rb") as src:
                data = src.read()
            out.write(data)
            if data and not data.endswith(b"\n"):
                out.write(b"\n")
    if content_type == "csv":
        with open(files[0], errors="ignore") as f:
            first = f.readline()
        delimiter = csv_delimiter(first)
        uri = "{}?format=csv&label_column=0&delimiter={}".format(joined, delimiter)
        if csv_weights == 1:
            uri += "&weight_column=1"
        try:
            return xgb.DMatrix(uri)
        except Exception as e:
            raise UserError("Failed to load csv data with exception:\n{}".format(e))
    try:
        return xgb.DMatrix(joined + "?format=libsvm")
    except Exception as e:
        raise UserError("Failed to load libsvm data with exception:\n{}".format(e))


def load_checkpoint(checkpoint_dir):
    """checkpointing.load_checkpoint: the newest `xgboost-checkpoint.<N>` file, resuming at N + 1."""
    if not checkpoint_dir or not os.path.exists(checkpoint_dir):
        return None, 0
    regex = r"^{0}\.[0-9]+$".format(CHECKPOINT_FILENAME)
    checkpoints = [f for f in os.listdir(checkpoint_dir) if re.match(regex, f)]
    if not checkpoints:
        return None, 0
    checkpoints.sort(key=lambda x: int(x.split(".")[1]))
    latest = checkpoints[-1]
    return os.path.join(checkpoint_dir, latest), int(latest.split(".")[1]) + 1


def custom_feval(metrics):
    """metrics/custom_metrics.py: the container's own metrics (sklearn based) as an xgboost custom_metric."""
    import numpy as np
    from sklearn import metrics as skm

    def labels_of(preds, dtrain):
        y = dtrain.get_label()
        if preds.ndim > 1:
            return y, np.argmax(preds, axis=1)
        return y, (preds > 0.5).astype(int) if set(np.unique(y)) <= {0, 1} else np.round(preds)

    funcs = {
        "accuracy": lambda p, d: skm.accuracy_score(*labels_of(p, d)),
        "balanced_accuracy": lambda p, d: skm.balanced_accuracy_score(*labels_of(p, d)),
        "f1": lambda p, d: skm.f1_score(*labels_of(p, d), average="macro"),
        "f1_binary": lambda p, d: skm.f1_score(*labels_of(p, d), average="binary"),
        "f1_macro": lambda p, d: skm.f1_score(*labels_of(p, d), average="macro"),
        "mse": lambda p, d: skm.mean_squared_error(d.get_label(), p),
        "precision": lambda p, d: skm.precision_score(*labels_of(p, d), average="macro"),
        "precision_macro": lambda p, d: skm.precision_score(*labels_of(p, d), average="macro"),
        "precision_micro": lambda p, d: skm.precision_score(*labels_of(p, d), average="micro"),
        "r2": lambda p, d: skm.r2_score(d.get_label(), p),
        "recall": lambda p, d: skm.recall_score(*labels_of(p, d), average="macro"),
        "recall_macro": lambda p, d: skm.recall_score(*labels_of(p, d), average="macro"),
        "recall_micro": lambda p, d: skm.recall_score(*labels_of(p, d), average="micro"),
    }

    def feval(preds, dtrain):
        return [(m, float(funcs[m](preds, dtrain))) for m in metrics]

    return feval


def train():
    config_dir = "/opt/ml/input/config"
    train_config = read_json(os.path.join(config_dir, "hyperparameters.json"), {})
    data_config = read_json(os.path.join(config_dir, "inputdataconfig.json"), {})
    checkpoint_config = read_json(os.path.join(config_dir, "checkpointconfig.json"), {}) or {}
    resource = read_json(os.path.join(config_dir, "resourceconfig.json"), {"current_host": "algo-1", "hosts": ["algo-1"]})
    hosts, current_host = resource["hosts"], resource["current_host"]
    is_master = current_host == hosts[0]
    role = os.environ.get("SM_LOCAL_XGB_ROLE", "master" if is_master else "worker")
    model_dir = "/opt/ml/model"

    cfg = validate_hyperparameters(train_config)
    if "train" not in data_config:
        raise UserError("Missing required channel: train")  # channel_validation.py (train required)
    for ch in data_config:  # algorithm_mode/channel_validation.py: train (required), validation, code
        if ch not in ("train", "validation", "code"):
            raise UserError("Extraneous channel found: {}".format(ch))
    file_type = content_type_of(data_config["train"].get("ContentType"))
    if data_config["train"].get("TrainingInputMode", "File") != "File":
        raise UserError("TrainingInputMode {} is not emulated (File only).".format(data_config["train"].get("TrainingInputMode")))
    if cfg.get("_kfold") is not None:
        raise UserError("_kfold cross validation is not emulated by the local runner.")
    if cfg.pop("use_dask_gpu_training", "false") == "true":
        raise UserError("use_dask_gpu_training is not emulated by the local runner (no GPUs).")

    import xgboost as xgb  # after validation, so configuration errors fail fast

    peers = json.loads(os.environ.get("SM_LOCAL_PEER_CHANNEL_DIRS", "{}")) if role == "master" else {}
    train_dirs = ["/opt/ml/input/data/train"] + peers.get("train", [])
    val_dirs = (["/opt/ml/input/data/validation"] + peers.get("validation", [])) if "validation" in data_config else []
    csv_weights = cfg.pop("csv_weights", 0)
    tmp = tempfile.mkdtemp(prefix="xgb-")
    try:
        dtrain = load_dmatrix(train_dirs, file_type, csv_weights, tmp, "train")
        dval = load_dmatrix(val_dirs, file_type, csv_weights, tmp, "validation") if val_dirs else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if role != "master":
        # train.py: a host without data is left out of Rabit training; here the master trains on the union.
        if dtrain is None:
            logging.warning("Host %s does not have data. Will broadcast to cluster and will not be used in distributed training.", current_host)
        else:
            logging.info("Host %s: %d training rows; the master trains on the union of all shards (local emulation of Rabit).", current_host, dtrain.num_row())
        return
    if dtrain is None:
        raise UserError("No data in training channel path /opt/ml/input/data/train")
    if "validation" in data_config and dval is None:
        raise UserError("No data in validation channel path /opt/ml/input/data/validation")
    if len(hosts) > 1:
        logging.info("Distributed node training with %d hosts: %s", len(hosts), hosts)
    else:
        logging.info("Single node training.")

    # train.py train_job
    num_round = cfg.pop("num_round")
    cfg.pop("save_model_on_termination", "false")
    tuning_metric_param = cfg.pop("_tuning_objective_metric", None)
    eval_metric = cfg.get("eval_metric")
    tuning_metric = tuning_metric_param.split(":")[1].split(",") if tuning_metric_param else None
    if tuning_metric is None and eval_metric is None:
        union = None
    elif tuning_metric is None:
        union = eval_metric
    elif eval_metric is None:
        union = tuning_metric
    else:
        union = sorted(set(tuning_metric) | set(eval_metric))
    feval = None
    if union is not None:
        custom = [m for m in union if m in CUSTOM_METRICS]
        if custom:
            feval = custom_feval(custom)
        cleaned = [m for m in union if m not in custom]
        if cleaned:
            cfg["eval_metric"] = cleaned
        else:
            cfg.pop("eval_metric", None)
    early_stopping_rounds = cfg.pop("early_stopping_rounds", None)
    early_stopping_metric = None
    if early_stopping_rounds:
        if tuning_metric:
            early_stopping_metric = tuning_metric[-1]
        elif eval_metric:
            early_stopping_metric = eval_metric[-1]
    if "updater" in cfg and isinstance(cfg["updater"], list):
        cfg["updater"] = ",".join(cfg["updater"])

    logging.info("Train matrix has %d rows and %d columns", dtrain.num_row(), dtrain.num_col())
    if dval is not None:
        logging.info("Validation matrix has %d rows", dval.num_row())
    watchlist = [(dtrain, "train")]
    if dval is not None:
        watchlist.append((dval, "validation"))

    # callback.get_callbacks (1.7-1): load the newest `xgboost-checkpoint.<N>`, then save with xgboost's own
    # TrainingCheckPoint(directory, iterations=<resume iteration>, name="xgboost-checkpoint"). NB: xgboost 1.7
    # names those files `xgboost-checkpoint_<epoch>.json` and, with iterations=0, writes only epoch 0; the
    # loader's regex (`xgboost-checkpoint.<N>`) matches the files script-mode `checkpointing.train` writes.
    # Both behaviours are kept as the container has them.
    checkpoint_dir = checkpoint_config.get("LocalPath")
    xgb_model, iteration = load_checkpoint(checkpoint_dir)
    if xgb_model is not None:
        logging.info("Checkpoint loaded from %s", xgb_model)
        logging.info("Resuming from iteration %s", iteration)
    callbacks = [xgb.callback.EvaluationMonitor()]
    if checkpoint_dir:
        os.makedirs(checkpoint_dir, exist_ok=True)
        callbacks.append(xgb.callback.TrainingCheckPoint(directory=checkpoint_dir, iterations=iteration, name=CHECKPOINT_FILENAME))
    if dval is not None and early_stopping_metric and early_stopping_rounds:
        callbacks.append(xgb.callback.EarlyStopping(rounds=early_stopping_rounds, data_name="validation",
                                                    metric_name=early_stopping_metric,
                                                    maximize=early_stopping_metric in XGB_MAXIMIZE_METRICS, save_best=True))
    try:
        bst = xgb.train(cfg, dtrain, num_boost_round=num_round - iteration, evals=watchlist, custom_metric=feval,
                        callbacks=callbacks, xgb_model=xgb_model, verbose_eval=False)
    except Exception as e:
        raise RuntimeError("XGB train call failed with exception:\n {}".format(e))

    os.makedirs(model_dir, exist_ok=True)
    model_location = os.path.join(model_dir, MODEL_NAME)
    bst.save_model(model_location)  # train.py: bst.save_model(os.path.join(model_dir, MODEL_NAME))
    logging.info("Stored trained model at %s", model_location)


def main():
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s:%(levelname)s] %(message)s", stream=sys.stdout)
    try:
        train()
    except UserError as e:
        fail("ClientError: {}".format(e))
    except Exception as e:  # AlgorithmError in the container
        traceback.print_exc()
        fail("AlgorithmError: {}".format(e))


if __name__ == "__main__":
    main()

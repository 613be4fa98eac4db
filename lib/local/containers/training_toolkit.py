"""Script mode, as sagemaker-training-toolkit runs a user's training script in the framework containers.

Emulates: aws/sagemaker-training-toolkit (master, the 4.x/5.x contract used by the pytorch-training,
sagemaker-scikit-learn and sagemaker-xgboost framework containers), following
  src/sagemaker_training/environment.py (read_hyperparameters json-decodes values; sagemaker_* hyperparameters
      are framework parameters; to_env_vars -> SM_*; code_dir /opt/ml/code)
  src/sagemaker_training/mapping.py     (to_env_vars: SM_<KEY> upper-cased, non-strings JSON-encoded with
      sort_keys and separators (",", ":"); to_cmd_args: sorted keys, "--name value", "-n" for 1-char names)
  src/sagemaker_training/files.py       (download_and_extract: s3:// tarball, local directory or tarball)
  src/sagemaker_training/entry_point.py + process.py (run `python3 <program> <args>` in /opt/ml/code)
  src/sagemaker_training/trainer.py     (errors -> /opt/ml/output/failure, exit code)
`s3://` submit directories are read from the local S3 root in env SM_LOCAL_S3_ROOT (`<root>/<bucket>/<key>`).
requirements.txt is NOT installed (only this machine's packages are importable).
"""
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import tarfile

BASE = "/opt/ml"
CODE_DIR = os.path.join(BASE, "code")
INPUT_DIR = os.path.join(BASE, "input")
CONFIG_DIR = os.path.join(INPUT_DIR, "config")
FAILURE_FILE = os.path.join(BASE, "output", "failure")
TAIL = 40
# params.py SAGEMAKER_HYPERPARAMETERS (not user hyperparameters, so not script arguments)
SAGEMAKER_HYPERPARAMETERS = ("sagemaker_program", "sagemaker_submit_directory", "sagemaker_enable_cloudwatch_metrics",
                             "sagemaker_region", "sagemaker_container_log_level", "sagemaker_job_name",
                             "default_user_module_name", "_tuning_objective_metric", "sagemaker_s3_output")

logger = logging.getLogger("sagemaker-training-toolkit")


def write_failure(message):
    os.makedirs(os.path.dirname(FAILURE_FILE), exist_ok=True)
    with open(FAILURE_FILE, "w") as f:
        f.write(message)


def fail(message, code=1):
    write_failure(message)
    logger.error(message)
    sys.exit(code)


def read_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def read_hyperparameters():
    """environment.read_hyperparameters: every value is json-decoded when it can be."""
    out = {}
    for k, v in read_json(os.path.join(CONFIG_DIR, "hyperparameters.json"), {}).items():
        try:
            v = json.loads(v)
        except (ValueError, TypeError):
            pass
        out[k] = v
    return out


def format_env_value(value):
    """mapping.to_env_vars format_value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def to_cmd_args(mapping):
    """mapping.to_cmd_args."""
    args = []
    for key in sorted(mapping.keys()):
        name = str(key)
        args.append(("--%s" % name) if len(name) > 1 else ("-%s" % name))
        value = mapping[key]
        if hasattr(value, "items"):
            args.append(",".join("%s=%s" % (k, v) for k, v in sorted(value.items())))
        else:
            args.append("" if value is None else str(value))  # mapping._decode
    return args


def local_s3_path(uri):
    root = os.environ.get("SM_LOCAL_S3_ROOT")
    if not root:
        raise RuntimeError("sagemaker_submit_directory {} is an s3:// URI but SM_LOCAL_S3_ROOT is not set".format(uri))
    bucket_key = uri[len("s3://"):]
    return os.path.join(root, *bucket_key.split("/"))


def download_and_extract(uri, path):
    """files.download_and_extract (the local S3 stands in for S3)."""
    os.makedirs(path, exist_ok=True)
    if os.listdir(path):
        logger.info("Provided path: %s is not empty, abandoning unzipping sourcedir.tar.gz", path)
        return
    source = local_s3_path(uri) if uri.startswith("s3://") else uri
    if not os.path.exists(source):
        raise FileNotFoundError("sagemaker_submit_directory {} does not exist{}".format(
            uri, " (looked for {})".format(source) if source != uri else ""))
    if os.path.isdir(source):
        if os.path.abspath(source) != os.path.abspath(path):
            shutil.rmtree(path)
            shutil.copytree(source, path)
    elif tarfile.is_tarfile(source):
        with tarfile.open(name=source, mode="r:*") as t:
            t.extractall(path=path)
    else:
        shutil.copy2(source, path)


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)-12s %(levelname)-8s %(message)s", stream=sys.stdout)
    all_hps = read_hyperparameters()
    # environment.py: mapping.split_by_criteria(keys=params.SAGEMAKER_HYPERPARAMETERS, prefix="sagemaker_")
    framework = {k: v for k, v in all_hps.items() if k.startswith("sagemaker_") or k in SAGEMAKER_HYPERPARAMETERS}
    hps = {k: v for k, v in all_hps.items() if k not in framework}
    resource = read_json(os.path.join(CONFIG_DIR, "resourceconfig.json"), {"current_host": "algo-1", "hosts": ["algo-1"]})
    input_data_config = read_json(os.path.join(CONFIG_DIR, "inputdataconfig.json"), {})
    program = framework.get("sagemaker_program") or os.environ.get("SAGEMAKER_PROGRAM")
    submit_dir = framework.get("sagemaker_submit_directory") or os.environ.get("SAGEMAKER_SUBMIT_DIRECTORY") or CODE_DIR
    if not program:
        fail("ClientError: no sagemaker_program hyperparameter: script mode needs the entry point's file name.")
    try:
        download_and_extract(str(submit_dir), CODE_DIR)
    except Exception as e:  # noqa
        fail("ClientError: could not get the training code: {}".format(e))
    if not os.path.exists(os.path.join(CODE_DIR, program)):
        held = sorted(os.listdir(CODE_DIR))
        fail("ClientError: the entry point {} is not in the code from {} (it holds {})".format(
            program, submit_dir, ", ".join(held) if held else "nothing"))

    channels = sorted(input_data_config.keys())
    channel_dirs = {c: os.path.join(INPUT_DIR, "data", c) for c in channels}
    num_cpus = multiprocessing.cpu_count()
    module_name = program[:-3] if program.endswith(".py") else program
    env = {
        "hosts": resource["hosts"],
        "network_interface_name": resource.get("network_interface_name", "eth0"),
        "hps": hps,
        "user_entry_point": program,
        "framework_params": {k: v for k, v in framework.items() if k not in SAGEMAKER_HYPERPARAMETERS},
        "resource_config": resource,
        "input_data_config": input_data_config,
        "output_data_dir": os.path.join(BASE, "output", "data"),
        "channels": channels,
        "current_host": resource["current_host"],
        "current_instance_type": resource.get("current_instance_type", "local"),
        "current_instance_group": resource.get("current_group_name", "homogeneousCluster"),
        "current_instance_group_hosts": resource["hosts"],
        "instance_groups": [g.get("instance_group_name") for g in resource.get("instance_groups", [])] or ["homogeneousCluster"],
        "instance_groups_dict": {g.get("instance_group_name"): g for g in resource.get("instance_groups", [])},
        "distribution_instance_groups": [],
        "is_hetero": False,
        "module_name": module_name,
        "log_level": int(framework.get("sagemaker_container_log_level", 20)),
        "framework_module": os.environ.get("SAGEMAKER_TRAINING_MODULE", ""),
        "input_dir": INPUT_DIR,
        "input_config_dir": CONFIG_DIR,
        "output_dir": os.path.join(BASE, "output"),
        "num_cpus": num_cpus,
        "num_gpus": 0,
        "num_neurons": 0,
        "model_dir": os.path.join(BASE, "model"),
        "module_dir": str(submit_dir),
        "user_args": to_cmd_args(hps),
        "output_intermediate_dir": os.path.join(BASE, "output", "intermediate"),
    }
    training_env = {
        "additional_framework_parameters": env["framework_params"],
        "channel_input_dirs": channel_dirs,
        "current_host": env["current_host"],
        "framework_module": env["framework_module"],
        "hosts": env["hosts"],
        "hyperparameters": hps,
        "input_config_dir": CONFIG_DIR,
        "input_data_config": input_data_config,
        "input_dir": INPUT_DIR,
        "is_master": env["current_host"] == env["hosts"][0],
        "job_name": os.environ.get("TRAINING_JOB_NAME", framework.get("sagemaker_job_name", "")),
        "log_level": env["log_level"],
        "master_hostname": env["hosts"][0],
        "model_dir": env["model_dir"],
        "module_dir": env["module_dir"],
        "module_name": module_name,
        "network_interface_name": env["network_interface_name"],
        "num_cpus": num_cpus,
        "num_gpus": 0,
        "output_data_dir": env["output_data_dir"],
        "output_dir": env["output_dir"],
        "output_intermediate_dir": env["output_intermediate_dir"],
        "resource_config": resource,
        "user_entry_point": program,
    }
    env["training_env"] = training_env
    for name, path in channel_dirs.items():
        env["channel_%s" % name] = path
    for key, value in hps.items():
        env["hp_%s" % key] = value
    sm_env = {"SM_%s" % str(k).upper(): format_env_value(v) for k, v in env.items()}
    for d in (env["model_dir"], env["output_data_dir"], env["output_intermediate_dir"]):
        os.makedirs(d, exist_ok=True)

    child_env = dict(os.environ)
    child_env.update(sm_env)
    child_env["PYTHONPATH"] = CODE_DIR + (os.pathsep + child_env["PYTHONPATH"] if child_env.get("PYTHONPATH") else "")
    if program.endswith(".py"):
        cmd = ["python3", program] + env["user_args"]
    else:
        cmd = ["/bin/sh", "-c", "./%s %s" % (program, " ".join(env["user_args"]))]
    logger.info("Invoking user script\n\nTraining Env:\n\n%s\n\nCommand \"%s\"", json.dumps(training_env, indent=4, sort_keys=True), " ".join(cmd))
    sys.stdout.flush()
    proc = subprocess.Popen(cmd, cwd=CODE_DIR, env=child_env, stderr=subprocess.PIPE)
    tail = []
    for raw in proc.stderr:
        line = raw.decode("utf-8", "replace")
        sys.stderr.write(line)
        sys.stderr.flush()
        tail.append(line.rstrip("\n"))
        del tail[:-TAIL]
    code = proc.wait()
    if code != 0:
        errors = [l for l in tail if l.strip()]
        message = errors[-1] if errors else ""
        # process.check_error -> errors.ExecuteUserScriptError, written by trainer.py as the failure reason.
        fail('AlgorithmError: ExecuteUserScriptError:\nExitCode {}\nErrorMessage "{}"\nCommand "{}"'.format(
            code, message, " ".join(cmd)), code=code if 0 < code < 256 else 1)


if __name__ == "__main__":
    main()

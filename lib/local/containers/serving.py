"""Model servers of the SageMaker inference containers, behind a JSON-lines protocol on stdin/stdout.

The local runner starts one process per transform job (or served model) with /opt/ml/model holding the
extracted model.tar.gz, then writes one request per line:
    {"id": 1, "body": "<base64>", "content_type": "text/csv", "accept": "text/csv"}
and reads one response per line:
    {"id": 1, "ok": true, "body": "<base64>", "content_type": "text/csv"}
    {"id": 1, "ok": false, "status": 400, "error": "..."}
The first line is {"ready": true} once the model is loaded, or {"ready": false, "error": "..."}.
Only protocol lines go to stdout; every log goes to stderr.

SM_LOCAL_SERVER selects the container:
  xgboost  - aws/sagemaker-xgboost-container 1.7-1 algorithm mode, following
             src/sagemaker_xgboost_container/algorithm_mode/serve.py (invocations, _parse_accept,
             SAGEMAKER_BATCH output "\\n".join(map(str, preds)) + "\\n") and serve_utils.py
             (get_loaded_booster: the first non-dot file of /opt/ml/model, pickle first then
             xgb.Booster().load_model; parse_content_data: text/csv without label, text/libsvm;
             encode_predictions_as_json: {"predictions": [{"score": p}, ...]}).
  pytorch  - aws/sagemaker-pytorch-inference-toolkit default_pytorch_inference_handler.py (default_model_fn:
             TorchScript model.pt, else exactly one .pt/.pth; default_input_fn/predict_fn/output_fn) on
             aws/sagemaker-inference-toolkit transformer.py (user module SAGEMAKER_PROGRAM, default
             inference.py, from /opt/ml/model/code; model_fn/input_fn/predict_fn/output_fn or transform_fn;
             Accept */* -> SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT or application/json), decoder.py, encoder.py.
  sklearn  - aws/sagemaker-scikit-learn-container 1.2-1 src/sagemaker_sklearn_container/serving.py (model_fn
             required; default_input_fn decodes to float32; predict_fn model.predict; output_fn encodes).
"""
import base64
import importlib
import io
import json
import logging
import os
import sys
import tarfile
import traceback

MODEL_DIR = "/opt/ml/model"
CODE_DIR = os.path.join(MODEL_DIR, "code")

logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
log = logging.getLogger("serving")
# Keep the protocol on a private copy of fd 1, then point fd 1 (and sys.stdout) at stderr, so neither user
# code's print() nor native libraries writing to fd 1 can corrupt the protocol.
PROTOCOL = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr


class ClientError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def parse_type(value):
    """cgi.parse_header-like: the media type, lower-cased, without parameters."""
    return (value or "").split(";")[0].strip().lower()


# ----------------------------------------------------------------------------------------- XGBoost
class XGBoostServer:
    SUPPORTED_ACCEPTS = ["application/json", "application/jsonlines", "application/x-recordio-protobuf", "text/csv"]

    def __init__(self):
        import xgboost as xgb
        import pickle
        self.xgb = xgb
        files = [f for f in os.listdir(MODEL_DIR) if os.path.isfile(os.path.join(MODEL_DIR, f)) and not f.startswith(".")]
        if not files:
            raise RuntimeError("no model file in /opt/ml/model (expected xgboost-model)")
        path = os.path.join(MODEL_DIR, files[0])
        log.info("Loading the model from %s", path)
        try:
            with open(path, "rb") as f:
                self.booster = pickle.load(f)
        except Exception as exp_pkl:
            try:
                self.booster = xgb.Booster()
                self.booster.load_model(path)
            except Exception as exp_xgb:
                raise RuntimeError("Model {} cannot be loaded:\nPickle load error={}\nXGB load model error={}".format(path, exp_pkl, exp_xgb))
        self.booster.set_param("nthread", 1)
        self.batch = bool(os.environ.get("SAGEMAKER_BATCH"))

    def dmatrix(self, body, content_type):
        import numpy as np
        ct = parse_type(content_type)
        text = body.strip().decode("utf-8")
        if ct in ("text/csv", "csv"):
            rows = [r for r in text.split("\n")]
            try:
                array = np.array([[float(v) if v.strip() != "" else np.nan for v in r.rstrip("\r").split(",")] for r in rows])
            except ValueError as e:
                raise ClientError("Loading csv data failed with Exception, please ensure data is in csv format:\n {}\n {}".format(type(e), e), 415)
            if array.ndim != 2:
                raise ClientError("Loading csv data failed: rows have different numbers of columns", 415)
            return self.xgb.DMatrix(array), array.shape[1]
        if ct in ("text/libsvm", "text/x-libsvm", "libsvm"):
            from sklearn.datasets import load_svmlight_file
            try:
                x, _ = load_svmlight_file(io.BytesIO(text.encode("utf-8")), n_features=self.booster.num_features(), zero_based=True)
            except Exception as e:
                raise ClientError("Loading libsvm data failed with Exception, please ensure data is in libsvm format:\n {}\n {}".format(type(e), e), 415)
            return self.xgb.DMatrix(x), None
        raise ClientError("Content-type {} is not supported.".format(content_type), 415)

    def invoke(self, body, content_type, accept):
        if len(body) == 0:
            return b"", accept or "text/csv"
        dtest, columns = self.dmatrix(body, content_type)
        expected = self.booster.num_features()
        if columns is not None and columns > expected:
            raise ClientError(
                "Unable to evaluate payload provided: the model expects {} features but the input has {} columns; "
                "drop the label (e.g. DataProcessing InputFilter \"$[1:]\")".format(expected, columns))
        try:
            preds = self.booster.predict(dtest, ntree_limit=getattr(self.booster, "best_ntree_limit", 0), validate_features=False)
        except Exception as e:
            raise ClientError("Unable to evaluate payload provided: {}".format(e))
        accept_type = parse_type(accept)
        if not accept_type or accept_type == "*/*":
            accept_type = os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "text/csv")
        if accept_type not in self.SUPPORTED_ACCEPTS:
            raise ClientError("Accept type {} is not supported. Please use supported accept types: {}.".format(accept, self.SUPPORTED_ACCEPTS), 406)
        preds_list = preds.tolist()
        if self.batch:
            return ("\n".join(map(str, preds_list)) + "\n").encode("utf-8"), accept_type
        if accept_type == "application/json":
            return json.dumps({"predictions": [{"score": p} for p in preds_list]}).encode("utf-8"), accept_type
        if accept_type == "application/jsonlines":
            return "\n".join(json.dumps({"score": p}) for p in preds_list).encode("utf-8"), accept_type
        if accept_type == "text/csv":
            return array_to_csv(preds_list).encode("utf-8"), accept_type
        raise ClientError("Accept type {} is not emulated by the local runner.".format(accept_type), 406)


# ------------------------------------------------------------------- inference toolkit (PyTorch, sklearn)
def array_to_csv(array_like):
    """sagemaker_inference encoder._array_to_csv."""
    import numpy as np
    stream = io.StringIO()
    np.savetxt(stream, array_like, delimiter=",", fmt="%s")
    return stream.getvalue()


def decode(data, content_type):
    """sagemaker_inference decoder.decode."""
    import numpy as np
    ct = parse_type(content_type)
    if ct == "application/json":
        return np.array(json.loads(data))
    if ct == "text/csv":
        return np.genfromtxt(io.StringIO(data), delimiter=",")
    if ct == "application/x-npy":
        return np.load(io.BytesIO(data), allow_pickle=True)
    raise ClientError("Content type {} is not supported by this framework.".format(content_type), 415)


def encode(array_like, content_type):
    """sagemaker_inference encoder.encode."""
    import numpy as np
    ct = parse_type(content_type)
    if ct == "application/json":
        return json.dumps(array_like, default=lambda a: a.tolist() if hasattr(a, "tolist") else json.JSONEncoder().default(a))
    if ct == "text/csv":
        return array_to_csv(array_like)
    if ct == "application/x-npy":
        buffer = io.BytesIO()
        np.save(buffer, array_like)
        return buffer.getvalue()
    raise ClientError("Content type {} is not supported by this framework.".format(content_type), 406)


def parse_accept(accept):
    """sagemaker_inference utils.parse_accept."""
    return [a.strip() for a in accept.split(",")]


class ToolkitServer:
    def __init__(self, kind):
        self.kind = kind
        self.default_accept = os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "application/json")
        program = os.environ.get("SAGEMAKER_PROGRAM", "inference.py")
        module_name = program[:-3] if program.endswith(".py") else program
        self.ensure_code(program)
        sys.path.insert(0, CODE_DIR)
        user = None
        if os.path.exists(os.path.join(CODE_DIR, module_name + ".py")) or os.path.isdir(os.path.join(CODE_DIR, module_name)):
            user = importlib.import_module(module_name)
        else:
            log.warning("no user module %s in %s; using the default handlers", program, CODE_DIR)
        get = (lambda n: getattr(user, n, None)) if user else (lambda n: None)
        transform_fn, input_fn, predict_fn, output_fn = get("transform_fn"), get("input_fn"), get("predict_fn"), get("output_fn")
        if transform_fn and (input_fn or predict_fn or output_fn):
            raise ValueError("Cannot use transform_fn implementation in conjunction with input_fn, predict_fn, and/or output_fn implementation")
        self.transform_fn = transform_fn
        self.input_fn = input_fn or self.default_input_fn
        self.predict_fn = predict_fn or self.default_predict_fn
        self.output_fn = output_fn or self.default_output_fn
        self.model = (get("model_fn") or self.default_model_fn)(MODEL_DIR)

    @staticmethod
    def ensure_code(program):
        """SageMaker frameworks: the code is in model.tar.gz's code/ or at SAGEMAKER_SUBMIT_DIRECTORY."""
        if os.path.exists(os.path.join(CODE_DIR, program)):
            return
        submit = os.environ.get("SAGEMAKER_SUBMIT_DIRECTORY")
        if not submit:
            return
        source = submit
        if submit.startswith("s3://"):
            source = os.path.join(os.environ.get("SM_LOCAL_S3_ROOT", "/nonexistent"), *submit[5:].split("/"))
        if os.path.isfile(source) and tarfile.is_tarfile(source):
            os.makedirs(CODE_DIR, exist_ok=True)
            with tarfile.open(source) as t:
                t.extractall(CODE_DIR)

    def default_model_fn(self, model_dir):
        if self.kind == "sklearn":
            # sagemaker-scikit-learn-container serving.py default_model_fn
            raise NotImplementedError("Please provide a model_fn implementation.\n"
                                      "See documentation for model_fn at https://github.com/aws/sagemaker-python-sdk")
        import torch
        model_path = os.path.join(model_dir, "model.pt")
        if not os.path.exists(model_path):
            model_files = [f for f in os.listdir(model_dir)
                           if os.path.isfile(os.path.join(model_dir, f)) and os.path.splitext(f)[1] in (".pt", ".pth")]
            if len(model_files) != 1:
                raise ValueError("Exactly one .pth or .pt file is required for PyTorch models: {}".format(model_files))
            model_path = os.path.join(model_dir, model_files[0])
        try:
            return torch.jit.load(model_path, map_location=torch.device("cpu"))
        except RuntimeError as e:
            raise RuntimeError("Failed to load {}. Please ensure model is saved using torchscript.".format(model_path)) from e

    def default_input_fn(self, input_data, content_type):
        array = decode(input_data, content_type)
        utf8 = parse_type(content_type) in ("application/json", "text/csv")
        if self.kind == "pytorch":
            import torch
            return torch.FloatTensor(array) if utf8 else torch.from_numpy(array)
        # sagemaker-scikit-learn-container 1.2-1 serving.py default_input_fn
        return array.astype("float32") if utf8 else array

    def default_predict_fn(self, data, model):
        if self.kind == "pytorch":
            import torch
            with torch.no_grad():
                model.eval()
                return model(data)
        return model.predict(data)

    def default_output_fn(self, prediction, accept):
        if self.kind == "pytorch":
            import torch
            if isinstance(prediction, torch.Tensor):
                prediction = prediction.detach().cpu().numpy().tolist()
        for content_type in parse_accept(accept):
            if parse_type(content_type) in ("application/json", "text/csv", "application/x-npy"):
                encoded = encode(prediction, content_type)
                return encoded.encode("utf-8") if isinstance(encoded, str) else encoded
        raise ClientError("Content type {} is not supported by this framework.".format(accept), 406)

    def invoke(self, body, content_type, accept):
        if not accept or accept == "*/*":
            accept = self.default_accept
        data = body.decode("utf-8") if parse_type(content_type) in ("application/json", "text/csv", "text/plain", "application/jsonlines") else body
        if self.transform_fn:
            result = self.transform_fn(self.model, data, content_type, accept)
        else:
            result = self.output_fn(self.predict_fn(self.input_fn(data, content_type), self.model), accept)
        response_type = accept
        if isinstance(result, tuple):
            result, response_type = result[0], result[1]
        if isinstance(result, str):
            result = result.encode("utf-8")
        return bytes(result), response_type


def main():
    kind = os.environ.get("SM_LOCAL_SERVER", "xgboost")
    try:
        server = XGBoostServer() if kind == "xgboost" else ToolkitServer(kind)
    except Exception as e:
        traceback.print_exc()
        PROTOCOL.write(json.dumps({"ready": False, "error": "{}: {}".format(type(e).__name__, e)}) + "\n")
        PROTOCOL.flush()
        sys.exit(1)
    PROTOCOL.write(json.dumps({"ready": True}) + "\n")
    PROTOCOL.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            body, content_type = server.invoke(base64.b64decode(request["body"]), request.get("content_type"), request.get("accept"))
            response = {"id": request["id"], "ok": True, "body": base64.b64encode(body).decode("ascii"), "content_type": content_type}
        except ClientError as e:
            log.error("%s", e)
            response = {"id": request["id"], "ok": False, "status": e.status, "error": str(e)}
        except Exception as e:
            traceback.print_exc()
            response = {"id": request["id"], "ok": False, "status": 500, "error": "{}: {}".format(type(e).__name__, e)}
        PROTOCOL.write(json.dumps(response) + "\n")
        PROTOCOL.flush()


if __name__ == "__main__":
    main()

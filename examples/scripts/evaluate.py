"""SageMaker Processing script: evaluates a trained XGBoost model on the test split.

Runs in the XGBoost container (it has xgboost, pandas and scikit-learn). Reads the model
artifact from /opt/ml/processing/model/model.tar.gz (the built-in algorithm of the 1.7-1
container writes the booster with Booster.save_model, so it is read back with load_model,
not unpickled) and the test split from
/opt/ml/processing/test, and writes /opt/ml/processing/evaluation/evaluation.json in the
model-metrics format the pipeline's condition step (AUC >= threshold) and the model registry read:
    {"binary_classification_metrics": {"auc": {"value": 0.83}, "accuracy": {...}}}
"""
import json
import os
import tarfile

import pandas as pd
import xgboost
from sklearn.metrics import accuracy_score, roc_auc_score

BASE = "/opt/ml/processing"


def main() -> None:
    with tarfile.open(os.path.join(BASE, "model", "model.tar.gz")) as archive:
        archive.extractall(path="model")
    model = xgboost.Booster()
    model.load_model(os.path.join("model", "xgboost-model"))

    test = pd.read_csv(os.path.join(BASE, "test", "test.csv"), header=None)
    labels = test.iloc[:, 0].to_numpy()
    features = xgboost.DMatrix(test.iloc[:, 1:].values)
    scores = model.predict(features)

    report = {
        "binary_classification_metrics": {
            "auc": {"value": float(roc_auc_score(labels, scores)), "standard_deviation": "NaN"},
            "accuracy": {"value": float(accuracy_score(labels, scores >= 0.5)), "standard_deviation": "NaN"},
        }
    }
    out = os.path.join(BASE, "evaluation")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "evaluation.json"), "w") as handle:
        json.dump(report, handle)
    print(json.dumps(report))


if __name__ == "__main__":
    main()

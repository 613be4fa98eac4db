"""SageMaker Processing script: prepares the loan-default data for training.

Runs in the scikit-learn processing container. Reads every CSV under
/opt/ml/processing/input, one-hot encodes the categorical columns, and writes
train/validation/test splits in the XGBoost built-in CSV format (label first, no header)
to /opt/ml/processing/{train,validation,test}.
"""
import argparse
import glob
import os

import pandas as pd
from sklearn.model_selection import train_test_split

BASE = "/opt/ml/processing"
LABEL = "default"
CATEGORICAL = ["home_ownership", "purpose"]
DROP = ["customer_id"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--validation-ratio", type=float, default=0.15)
    parser.add_argument("--test-ratio", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    files = sorted(glob.glob(os.path.join(BASE, "input", "**", "*.csv"), recursive=True))
    if not files:
        raise SystemExit(f"no CSV files under {BASE}/input")
    data = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    data = data.drop(columns=[c for c in DROP if c in data.columns]).dropna()
    data = pd.get_dummies(data, columns=CATEGORICAL, dtype=float)
    # XGBoost's CSV input wants the label in the first column.
    data = data[[LABEL] + [c for c in data.columns if c != LABEL]]

    holdout = args.validation_ratio + args.test_ratio
    train, rest = train_test_split(data, test_size=holdout, random_state=args.seed, stratify=data[LABEL])
    validation, test = train_test_split(
        rest, test_size=args.test_ratio / holdout, random_state=args.seed, stratify=rest[LABEL]
    )
    for name, frame in (("train", train), ("validation", validation), ("test", test)):
        out = os.path.join(BASE, name)
        os.makedirs(out, exist_ok=True)
        frame.to_csv(os.path.join(out, f"{name}.csv"), header=False, index=False)
        print(f"{name}: {len(frame)} rows, {frame.shape[1] - 1} features")


if __name__ == "__main__":
    main()

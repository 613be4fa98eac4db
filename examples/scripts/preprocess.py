"""SageMaker Processing script: prepares the loan-default data for training.

Runs in the scikit-learn processing container. Reads every CSV under
/opt/ml/processing/input, one-hot encodes the categorical columns, and writes
train/validation/test splits in the XGBoost built-in CSV format (label first, no header)
to /opt/ml/processing/{train,validation,test}.

The train split is written as --train-shards files (train-0.csv, train-1.csv, ...): a channel
distributed ShardedByS3Key gives each training instance its own files, so there must be at
least as many files as instances or an instance idles (and is paid for).

/opt/ml/processing/baseline/baseline.csv holds the train split's features exactly as the
endpoint receives them (encoded, no id, no label) with a header naming them: the Model Monitor
baseline must describe what the endpoint sees, not the raw data.
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
    parser.add_argument("--train-shards", type=int, default=1, help="files to split the train split into (>= training instances)")
    args = parser.parse_args()
    if args.train_shards < 1:
        raise SystemExit(f"--train-shards must be at least 1, got {args.train_shards}")

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
    if len(train) < args.train_shards:
        raise SystemExit(f"the train split has {len(train)} rows, fewer than --train-shards {args.train_shards}")
    for name, frame in (("validation", validation), ("test", test)):
        write(frame, name, f"{name}.csv", header=False)
    # Contiguous, nearly equal slices: every shard gets rows of both classes in this sample.
    shard_size = -(-len(train) // args.train_shards)
    for shard in range(args.train_shards):
        write(train.iloc[shard * shard_size : (shard + 1) * shard_size], "train", f"train-{shard}.csv", header=False)
    write(train.drop(columns=[LABEL]), "baseline", "baseline.csv", header=True)


def write(frame: pd.DataFrame, output: str, file_name: str, header: bool) -> None:
    out = os.path.join(BASE, output)
    os.makedirs(out, exist_ok=True)
    frame.to_csv(os.path.join(out, file_name), header=header, index=False)
    print(f"{output}/{file_name}: {len(frame)} rows, {frame.shape[1]} columns")


if __name__ == "__main__":
    main()

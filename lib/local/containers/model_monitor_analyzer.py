"""The SageMaker Model Monitor analyzer (sagemaker-model-monitor-analyzer), emulated for local runs.

The real container is a closed-source Spark/Deequ application. This emulation follows its documented
contract instead:
  environment   the names ModelMonitor._generate_env_map of the SageMaker Python SDK sets
                (src/sagemaker/model_monitor/model_monitoring.py): dataset_format, dataset_source,
                output_path, analysis_type, problem_type, inference_attribute, probability_attribute,
                ground_truth_attribute, probability_threshold_attribute, publish_cloudwatch_metrics,
                record_preprocessor_script, post_analytics_processor_script; plus baseline_statistics
                and baseline_constraints (files) for a check against an earlier baseline.
  statistics.json   https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-statistics.html
  constraints.json  https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-constraints.html
  constraint_violations.json
                https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-violations.html
  model quality https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html

Differences (also in docs/local-runner.md): CSV data sets only (header or none; JSON Lines and
captured endpoint data are not read); the KLL sketch holds every value (no compaction) and the
distribution has 10 equal-width buckets; types are inferred from all values (Integral, Fractional,
String); baseline drift is the largest difference between the baseline's and the current bucket
frequencies (the same for "Simple" and "Robust"); standard deviations of model quality metrics come
from 5 random 80 % samples with a fixed random state when there are at least 200 rows, as documented;
MulticlassClassification, pre/post-processing scripts and CloudWatch metrics are not emulated.
"""
import datetime
import glob
import json
import math
import os
import sys

import numpy as np
import pandas as pd

BUCKETS = 10  # "By default, we materialize the distribution in 10 buckets."
DOMAIN_MAX_VALUES = 20  # string columns with at most this many distinct values get a domain constraint
MIN_ROWS_FOR_STD = 200  # "Standard deviation for metrics are provided only when at least 200 samples are available."


class AnalyzerError(Exception):
    """A configuration or data problem the real analyzer would also fail on."""


def env(name, default=None):
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def read_dataset(source, dataset_format):
    if "csv" not in dataset_format:
        raise AnalyzerError(f"dataset_format {json.dumps(dataset_format)} is not emulated locally (CSV data sets only).")
    header = bool(dataset_format["csv"].get("header", True))
    files = sorted(f for f in glob.glob(os.path.join(source, "**", "*"), recursive=True) if os.path.isfile(f))
    if os.path.isfile(source):
        files = [source]
    if not files:
        raise AnalyzerError(f"dataset_source {source} holds no files.")
    frames = []
    for file in files:
        frame = pd.read_csv(file, header=0 if header else None, dtype=str, keep_default_na=False, na_values=[""])
        if not header:
            # Spark's names for columns of a file without a header.
            frame.columns = [f"_c{i}" for i in range(len(frame.columns))]
        frames.append(frame)
    columns = list(frames[0].columns)
    for file, frame in zip(files, frames):
        if list(frame.columns) != columns:
            raise AnalyzerError(f"{file} has the columns {list(frame.columns)}, but {files[0]} has {columns}; all files of a data set share one schema.")
    return pd.concat(frames, ignore_index=True)


def is_integral(text):
    try:
        int(text)
        return True
    except ValueError:
        return False


def is_fractional(text):
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def infer_type(values):
    if len(values) == 0:
        return "Unknown"
    if all(is_integral(v) for v in values):
        return "Integral"
    if all(is_fractional(v) for v in values):
        return "Fractional"
    return "String"


def buckets_of(numbers, low, high):
    if len(numbers) == 0:
        return []
    if high <= low:
        return [{"lower_bound": float(low), "upper_bound": float(high), "count": float(len(numbers))}]
    edges = np.linspace(low, high, BUCKETS + 1)
    counts, _ = np.histogram(np.clip(numbers, low, high), bins=edges)
    return [{"lower_bound": float(edges[i]), "upper_bound": float(edges[i + 1]), "count": float(counts[i])} for i in range(BUCKETS)]


def feature_statistics(name, column):
    present = [v for v in column if isinstance(v, str)]
    common = {"num_present": len(present), "num_missing": int(len(column) - len(present))}
    inferred = infer_type(present)
    feature = {"name": name, "inferred_type": inferred}
    if inferred in ("Integral", "Fractional"):
        numbers = np.array([float(v) for v in present])
        feature["numerical_statistics"] = {
            "common": common,
            "mean": float(numbers.mean()),
            "sum": float(numbers.sum()),
            "std_dev": float(numbers.std()),
            "min": float(numbers.min()),
            "max": float(numbers.max()),
            "distribution": {
                "kll": {
                    "buckets": buckets_of(numbers, float(numbers.min()), float(numbers.max())),
                    "sketch": {"parameters": {"c": 0.64, "k": 2048.0}, "data": [sorted(float(x) for x in numbers)]},
                }
            },
        }
    else:
        counts = pd.Series(present, dtype=object).value_counts()
        feature["string_statistics"] = {
            "common": common,
            "distinct_count": float(len(counts)),
            "distribution": {"categorical": {"buckets": [{"value": str(v), "count": float(c)} for v, c in counts.items()]}},
        }
    return feature


def data_statistics(frame):
    return {
        "version": 0.0,
        "dataset": {"item_count": float(len(frame))},
        "features": [feature_statistics(str(name), frame[name].tolist()) for name in frame.columns],
    }


def suggest_constraints(statistics):
    features = []
    for feature in statistics["features"]:
        stats = feature.get("numerical_statistics") or feature.get("string_statistics")
        total = stats["common"]["num_present"] + stats["common"]["num_missing"]
        constraint = {
            "name": feature["name"],
            "inferred_type": feature["inferred_type"],
            "completeness": float(stats["common"]["num_present"] / total) if total else 0.0,
        }
        if "numerical_statistics" in feature:
            constraint["num_constraints"] = {"is_non_negative": bool(feature["numerical_statistics"]["min"] >= 0)}
        else:
            buckets = feature["string_statistics"]["distribution"]["categorical"]["buckets"]
            if 0 < len(buckets) <= DOMAIN_MAX_VALUES:
                constraint["string_constraints"] = {"domains": sorted(b["value"] for b in buckets)}
        features.append(constraint)
    return {
        "version": 0.0,
        "features": features,
        "monitoring_config": {
            "evaluate_constraints": "Enabled",
            "emit_metrics": "Enabled",
            "datatype_check_threshold": 1.0,
            "domain_content_threshold": 1.0,
            "distribution_constraints": {"perform_comparison": "Enabled", "comparison_threshold": 0.1, "comparison_method": "Robust"},
        },
    }


def type_matches(value, inferred):
    if inferred == "Integral":
        return is_integral(value)
    if inferred == "Fractional":
        return is_fractional(value)
    return True


def frequencies(buckets):
    total = sum(b["count"] for b in buckets)
    return [b["count"] / total for b in buckets] if total else [0.0 for _ in buckets]


def numeric_drift(baseline_feature, values):
    buckets = baseline_feature["numerical_statistics"]["distribution"]["kll"]["buckets"]
    if not buckets or not values:
        return 0.0
    low, high = buckets[0]["lower_bound"], buckets[-1]["upper_bound"]
    current = buckets_of(np.array(values), low, high) if high > low else [{"count": float(len(values))}]
    return max(abs(a - b) for a, b in zip(frequencies(buckets), frequencies(current)))


def categorical_drift(baseline_feature, values):
    buckets = baseline_feature["string_statistics"]["distribution"]["categorical"]["buckets"]
    total = sum(b["count"] for b in buckets)
    base = {b["value"]: b["count"] / total for b in buckets} if total else {}
    counts = pd.Series(values, dtype=object).value_counts()
    current = {str(v): c / len(values) for v, c in counts.items()} if values else {}
    keys = set(base) | set(current)
    return max((abs(base.get(k, 0.0) - current.get(k, 0.0)) for k in keys), default=0.0)


def check_data(frame, baseline_statistics, constraints):
    """The documented violation checks of the current data against a baseline."""
    violations = []
    config = constraints.get("monitoring_config", {})
    distribution = config.get("distribution_constraints", {})
    by_name = {f["name"]: f for f in constraints.get("features", [])}
    base_features = {f["name"]: f for f in baseline_statistics.get("features", [])} if baseline_statistics else {}
    columns = [str(c) for c in frame.columns]
    missing = [name for name in by_name if name not in columns]
    extra = [name for name in columns if name not in by_name]
    if missing:
        violations.append({"feature_name": ",".join(missing), "constraint_check_type": "missing_column_check",
                           "description": f"There are missing columns in current dataset. Number of columns in current dataset: {len(columns)}, Number of columns in baseline constraints: {len(by_name)}"})
    if extra:
        violations.append({"feature_name": ",".join(extra), "constraint_check_type": "extra_column_check",
                           "description": f"There are extra columns in current dataset. Number of columns in current dataset: {len(columns)}, Number of columns in baseline constraints: {len(by_name)}"})
    for name in columns:
        constraint = by_name.get(name)
        if not constraint:
            continue
        column = frame[name].tolist()
        present = [v for v in column if isinstance(v, str)]
        inferred = constraint.get("inferred_type", "String")
        threshold = float(constraint.get("monitoringConfigOverrides", {}).get("datatype_check_threshold", config.get("datatype_check_threshold", 1.0)))
        if present:
            matching = sum(1 for v in present if type_matches(v, inferred)) / len(present)
            if matching < threshold:
                violations.append({"feature_name": name, "constraint_check_type": "data_type_check",
                                   "description": f"Data type match requirement is not met. Expected data type: {inferred}, Expected match: {threshold * 100:g}%. Observed: Only {matching * 100:g}% of data is {inferred}."})
        completeness = len(present) / len(column) if column else 1.0
        if completeness < float(constraint.get("completeness", 0.0)):
            violations.append({"feature_name": name, "constraint_check_type": "completeness_check",
                               "description": f"Data completeness requirement is not met. Expected: {constraint['completeness'] * 100:g}% complete. Observed: {completeness * 100:g}% complete."})
        domain = constraint.get("string_constraints", {}).get("domains")
        if domain and present:
            known = sum(1 for v in present if v in domain) / len(present)
            domain_threshold = float(config.get("domain_content_threshold", 1.0))
            if known < domain_threshold:
                violations.append({"feature_name": name, "constraint_check_type": "categorical_values_check",
                                   "description": f"Value list requirement is not met. Expected: {domain_threshold * 100:g}% of values in the baseline's domain. Observed: {known * 100:g}%."})
        base = base_features.get(name)
        if base and distribution.get("perform_comparison", "Enabled") == "Enabled" and present:
            if "numerical_statistics" in base and all(is_fractional(v) for v in present):
                distance = numeric_drift(base, [float(v) for v in present])
                limit = float(distribution.get("comparison_threshold", 0.1))
            elif "string_statistics" in base:
                distance = categorical_drift(base, present)
                limit = float(distribution.get("categorical_comparison_threshold", distribution.get("comparison_threshold", 0.1)))
            else:
                continue
            if distance > limit:
                violations.append({"feature_name": name, "constraint_check_type": "baseline_drift_check",
                                   "description": f"Baseline drift distance: {distance:g} exceeds threshold: {limit:g}"})
    return violations


def column_of(frame, attribute, what):
    if attribute is None:
        return None
    if attribute in frame.columns:
        return frame[attribute]
    if attribute.isdigit() and int(attribute) < len(frame.columns):
        return frame[frame.columns[int(attribute)]]
    raise AnalyzerError(f"{what} \"{attribute}\" is not a column of the data set (columns: {', '.join(map(str, frame.columns))}).")


def as_numbers(series, what):
    try:
        return np.array([float(v) for v in series.tolist()])
    except (TypeError, ValueError) as error:
        raise AnalyzerError(f"{what} must be numeric: {error}")


def metric(values, fn):
    value = fn(np.arange(len(values[0])))
    deviation = "NaN"
    if len(values[0]) >= MIN_ROWS_FOR_STD:
        # "Model Monitor computes standard deviation by randomly sampling 80% of the data 5 times".
        rng = np.random.default_rng(0)
        samples = [fn(rng.choice(len(values[0]), size=int(len(values[0]) * 0.8), replace=False)) for _ in range(5)]
        deviation = float(np.std(samples))
    return {"value": float(value), "standard_deviation": deviation}


def safe_ratio(a, b):
    return float(a) / float(b) if b else 0.0


def auc_of(y_true, scores):
    positives, negatives = scores[y_true == 1], scores[y_true == 0]
    if len(positives) == 0 or len(negatives) == 0:
        return float("nan")
    ranks = pd.Series(scores).rank().to_numpy()
    return float((ranks[y_true == 1].sum() - len(positives) * (len(positives) + 1) / 2) / (len(positives) * len(negatives)))


def binary_metrics(y_true, y_pred, scores):
    def counts(idx):
        t, p = y_true[idx], y_pred[idx]
        return (int(((t == 1) & (p == 1)).sum()), int(((t == 0) & (p == 1)).sum()), int(((t == 0) & (p == 0)).sum()), int(((t == 1) & (p == 0)).sum()))

    def fbeta(beta):
        def f(idx):
            tp, fp, _, fn = counts(idx)
            precision, recall = safe_ratio(tp, tp + fp), safe_ratio(tp, tp + fn)
            return safe_ratio((1 + beta * beta) * precision * recall, beta * beta * precision + recall)
        return f

    rates = {
        "recall": lambda i: safe_ratio(counts(i)[0], counts(i)[0] + counts(i)[3]),
        "precision": lambda i: safe_ratio(counts(i)[0], counts(i)[0] + counts(i)[1]),
        "accuracy": lambda i: safe_ratio(counts(i)[0] + counts(i)[2], len(i)),
        # The documented example's best constant classifier always predicts the positive class.
        "recall_best_constant_classifier": lambda i: 1.0 if (y_true[i] == 1).any() else 0.0,
        "precision_best_constant_classifier": lambda i: safe_ratio((y_true[i] == 1).sum(), len(i)),
        "accuracy_best_constant_classifier": lambda i: safe_ratio((y_true[i] == 1).sum(), len(i)),
        "true_positive_rate": lambda i: safe_ratio(counts(i)[0], counts(i)[0] + counts(i)[3]),
        "true_negative_rate": lambda i: safe_ratio(counts(i)[2], counts(i)[2] + counts(i)[1]),
        "false_positive_rate": lambda i: safe_ratio(counts(i)[1], counts(i)[1] + counts(i)[2]),
        "false_negative_rate": lambda i: safe_ratio(counts(i)[3], counts(i)[3] + counts(i)[0]),
    }
    result = {"confusion_matrix": {}}
    for actual in (0, 1):
        result["confusion_matrix"][str(actual)] = {str(p): int(((y_true == actual) & (y_pred == p)).sum()) for p in (0, 1)}
    for name, fn in rates.items():
        result[name] = metric([y_true], fn)
    thresholds = sorted(set(scores.tolist()), reverse=True)
    fprs, tprs, precisions, recalls = [], [], [], []
    for t in thresholds:
        p = (scores >= t).astype(int)
        tp, fp = int(((y_true == 1) & (p == 1)).sum()), int(((y_true == 0) & (p == 1)).sum())
        fprs.append(safe_ratio(fp, (y_true == 0).sum()))
        tprs.append(safe_ratio(tp, (y_true == 1).sum()))
        precisions.append(safe_ratio(tp, tp + fp))
        recalls.append(safe_ratio(tp, (y_true == 1).sum()))
    result["receiver_operating_characteristic_curve"] = {"false_positive_rates": fprs, "true_positive_rates": tprs}
    result["precision_recall_curve"] = {"precisions": precisions, "recalls": recalls}
    result["auc"] = metric([y_true], lambda i: auc_of(y_true[i], scores[i]))
    for name, beta in (("f0_5", 0.5), ("f1", 1.0), ("f2", 2.0)):
        result[name] = metric([y_true], fbeta(beta))
    return result


def regression_metrics(y_true, y_pred):
    def r2(i):
        residual = ((y_true[i] - y_pred[i]) ** 2).sum()
        total = ((y_true[i] - y_true[i].mean()) ** 2).sum()
        return 1 - residual / total if total else 0.0

    return {
        "mae": metric([y_true], lambda i: np.abs(y_true[i] - y_pred[i]).mean()),
        "mse": metric([y_true], lambda i: ((y_true[i] - y_pred[i]) ** 2).mean()),
        "rmse": metric([y_true], lambda i: math.sqrt(((y_true[i] - y_pred[i]) ** 2).mean())),
        "r2": metric([y_true], r2),
    }


# Which way a metric gets worse: a suggested constraint is violated when the metric crosses the baseline value that way.
WORSE_WHEN_LOWER = ["recall", "precision", "accuracy", "true_positive_rate", "true_negative_rate", "auc", "f0_5", "f1", "f2", "r2"]
WORSE_WHEN_HIGHER = ["false_positive_rate", "false_negative_rate", "mae", "mse", "rmse"]


def model_quality(frame):
    problem = env("problem_type")
    if problem not in ("BinaryClassification", "Regression", "MulticlassClassification"):
        raise AnalyzerError(f"problem_type \"{problem}\" must be BinaryClassification, MulticlassClassification or Regression.")
    if problem == "MulticlassClassification":
        raise AnalyzerError("problem_type MulticlassClassification is not emulated by the local analyzer (BinaryClassification and Regression are).")
    truth = column_of(frame, env("ground_truth_attribute"), "ground_truth_attribute")
    if truth is None:
        raise AnalyzerError("ground_truth_attribute is not set; the analyzer needs the column with the actual labels.")
    inference = column_of(frame, env("inference_attribute"), "inference_attribute")
    probability = column_of(frame, env("probability_attribute"), "probability_attribute")
    y_true = as_numbers(truth, "ground_truth_attribute")
    if problem == "Regression":
        if inference is None:
            raise AnalyzerError("inference_attribute is not set; a Regression check compares predicted values with the ground truth.")
        metrics = regression_metrics(y_true, as_numbers(inference, "inference_attribute"))
        key = "regression"
    else:
        threshold = float(env("probability_threshold_attribute", "0.5"))
        scores = as_numbers(probability, "probability_attribute") if probability is not None else None
        if inference is not None:
            y_pred = as_numbers(inference, "inference_attribute").astype(int)
        elif scores is not None:
            y_pred = (scores >= threshold).astype(int)
        else:
            raise AnalyzerError("neither inference_attribute nor probability_attribute is set; the analyzer has no predictions.")
        labels = set(np.unique(y_true).tolist()) | set(np.unique(y_pred).tolist())
        if not labels <= {0.0, 1.0}:
            raise AnalyzerError(f"BinaryClassification labels must be 0 and 1; found {sorted(labels)}.")
        metrics = binary_metrics(y_true.astype(int), y_pred, scores if scores is not None else y_pred.astype(float))
        key = "binary_classification"
    statistics = {
        "version": 0.0,
        "dataset": {"item_count": float(len(frame)), "evaluation_time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")},
        f"{key}_metrics": metrics,
    }
    constraints = {"version": 0.0, f"{key}_constraints": {}}
    for name, value in metrics.items():
        if not isinstance(value, dict) or "value" not in value or not math.isfinite(value["value"]):
            continue
        if name in WORSE_WHEN_LOWER:
            constraints[f"{key}_constraints"][name] = {"threshold": value["value"], "comparison_operator": "LessThanThreshold"}
        elif name in WORSE_WHEN_HIGHER:
            constraints[f"{key}_constraints"][name] = {"threshold": value["value"], "comparison_operator": "GreaterThanThreshold"}
    return statistics, constraints


def check_model_quality(statistics, constraints):
    violations = []
    for key in ("binary_classification", "regression"):
        metrics = statistics.get(f"{key}_metrics", {})
        for name, rule in constraints.get(f"{key}_constraints", {}).items():
            if name not in metrics:
                continue
            value, threshold, operator = metrics[name]["value"], float(rule["threshold"]), rule["comparison_operator"]
            broken = value < threshold if operator == "LessThanThreshold" else value > threshold if operator == "GreaterThanThreshold" else False
            if broken:
                violations.append({"metric_name": name, "constraint_check_type": operator,
                                   "description": f"Metric {name} with {value:g} was {operator} '{threshold:g}'"})
    return violations


def read_json(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        raise AnalyzerError(f"{what} {path} cannot be read: {error}")


def main():
    for unsupported in ("record_preprocessor_script", "post_analytics_processor_script"):
        if env(unsupported):
            raise AnalyzerError(f"{unsupported} is set; pre- and post-processing scripts are not emulated by the local analyzer.")
    source, output = env("dataset_source"), env("output_path")
    if not source or not output:
        raise AnalyzerError("dataset_source and output_path must be set (the analyzer's input folder and output folder).")
    dataset_format = json.loads(env("dataset_format", '{"csv": {"header": true}}'))
    frame = read_dataset(source, dataset_format)
    analysis = env("analysis_type", "DATA_QUALITY")
    if analysis == "MODEL_QUALITY":
        statistics, constraints = model_quality(frame)
    elif analysis == "DATA_QUALITY":
        statistics = data_statistics(frame)
        constraints = suggest_constraints(statistics)
    else:
        raise AnalyzerError(f"analysis_type \"{analysis}\" is not emulated (DATA_QUALITY and MODEL_QUALITY are).")
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, "statistics.json"), "w") as f:
        json.dump(statistics, f, indent=2)
    with open(os.path.join(output, "constraints.json"), "w") as f:
        json.dump(constraints, f, indent=2)
    print(f"model monitor analyzer (local): {analysis} over {len(frame)} rows; wrote statistics.json and constraints.json to {output}")
    baseline_constraints = env("baseline_constraints")
    if baseline_constraints:
        reference = read_json(baseline_constraints, "baseline_constraints")
        baseline_statistics = env("baseline_statistics")
        reference_statistics = read_json(baseline_statistics, "baseline_statistics") if baseline_statistics else None
        if analysis == "MODEL_QUALITY":
            violations = check_model_quality(statistics, reference)
        else:
            violations = check_data(frame, reference_statistics, reference)
        with open(os.path.join(output, "constraint_violations.json"), "w") as f:
            json.dump({"violations": violations}, f, indent=2)
        print(f"model monitor analyzer (local): {len(violations)} violation(s) of {baseline_constraints}")


if __name__ == "__main__":
    try:
        main()
    except AnalyzerError as error:
        print(f"AnalyzerError: {error}", file=sys.stderr)
        # The processing container contract: a failure reason in /opt/ml/output/message.
        try:
            os.makedirs("/opt/ml/output", exist_ok=True)
            with open("/opt/ml/output/message", "w") as f:
                f.write(str(error))
        except OSError:
            pass
        sys.exit(1)

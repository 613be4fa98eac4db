import { NeoFramework, NeoTargetDevice } from './neo-target';

/**
 * Which framework versions SageMaker Neo compiles for which targets, as the Developer Guide's
 * "Supported Instance Types and Frameworks" page documents them
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/neo-supported-cloud.html):
 * - cloud instances (ml_c4, ml_c5, ml_m4, ml_m5, ml_p2, ml_p3, ml_g4dn): MXNet 1.8.0, ONNX 1.7.0,
 *   Keras 2.2.4, PyTorch 1.4, 1.5, 1.6, 1.7, 1.8, 1.12, 1.13 or 2.0, TensorFlow 1.15.3 or 2.9,
 *   XGBoost 1.3.3 (models of that version or earlier);
 * - AWS Inferentia (ml_inf1): MXNet 1.5 or 1.8, PyTorch 1.7, 1.8 or 1.9, TensorFlow 1.15 or 2.5.
 *
 * `versions` are the values `InputConfig.FrameworkVersion` takes. The API takes the field only for
 * MXNet, PyTorch, TensorFlow and TensorFlow Lite
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InputConfig.html); for the
 * other frameworks `versions` is empty and `modelVersion` is the newest model version documented.
 */
interface NeoFrameworkSupport {
  readonly versions: readonly string[];
  readonly modelVersion?: string;
}

const CLOUD_TARGETS: readonly NeoTargetDevice[] = [
  NeoTargetDevice.ML_C4, NeoTargetDevice.ML_C5, NeoTargetDevice.ML_M4, NeoTargetDevice.ML_M5,
  NeoTargetDevice.ML_P2, NeoTargetDevice.ML_P3, NeoTargetDevice.ML_G4DN,
];

const CLOUD: Readonly<Partial<Record<NeoFramework, NeoFrameworkSupport>>> = {
  [NeoFramework.MXNET]: { versions: ['1.8', '1.8.0'] },
  [NeoFramework.ONNX]: { versions: [], modelVersion: '1.7.0' },
  [NeoFramework.KERAS]: { versions: [], modelVersion: '2.2.4' },
  [NeoFramework.PYTORCH]: { versions: ['1.4', '1.5', '1.6', '1.7', '1.8', '1.12', '1.13', '2.0'] },
  [NeoFramework.TENSORFLOW]: { versions: ['1.15.3', '2.9'] },
  [NeoFramework.XGBOOST]: { versions: [], modelVersion: '1.3.3' },
};

const INFERENTIA: Readonly<Partial<Record<NeoFramework, NeoFrameworkSupport>>> = {
  [NeoFramework.MXNET]: { versions: ['1.5', '1.8'] },
  [NeoFramework.PYTORCH]: { versions: ['1.7', '1.8', '1.9'] },
  [NeoFramework.TENSORFLOW]: { versions: ['1.15', '2.5'] },
};

/**
 * Frameworks whose compilation needs the model's input names and shapes (`DataInputConfig`): the
 * API reference says "You must specify" for TensorFlow, Keras, MXNet, ONNX, Darknet and
 * PyTorch (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InputConfig.html), the
 * Developer Guide for TensorFlow Lite too, and not for XGBoost ("input data name and shape are
 * not needed"). PyTorch models saved with PyTorch 2.0 or later and compiled for cloud instances
 * need none (https://docs.aws.amazon.com/sagemaker/latest/dg/neo-compilation-preparing-model.html).
 */
const NEEDS_DATA_INPUT_CONFIG: readonly NeoFramework[] = [
  NeoFramework.TENSORFLOW, NeoFramework.KERAS, NeoFramework.MXNET, NeoFramework.ONNX, NeoFramework.DARKNET, NeoFramework.PYTORCH, NeoFramework.TFLITE,
];

const SUPPORT_PAGE = 'https://docs.aws.amazon.com/sagemaker/latest/dg/neo-supported-cloud.html';

function tableOf(target: NeoTargetDevice): Readonly<Partial<Record<NeoFramework, NeoFrameworkSupport>>> | undefined {
  if (target === NeoTargetDevice.ML_INF1) return INFERENTIA;
  return CLOUD_TARGETS.includes(target) ? CLOUD : undefined;
}

/**
 * What is wrong with compiling `framework` (at `frameworkVersion`) for `target`, per the table
 * above; an empty list when the combination is documented. With `checkVersion` false (the
 * version is an unresolved token) only the framework and the target are checked.
 */
export function neoSupportProblems(framework: NeoFramework, frameworkVersion: string | undefined, target: NeoTargetDevice, checkVersion: boolean = true): string[] {
  const table = tableOf(target);
  if (!table) {
    return [`targetDevice "${target}" is not a target Neo's supported instance types list; use one of ${[...CLOUD_TARGETS, NeoTargetDevice.ML_INF1].join(', ')} (${SUPPORT_PAGE}).`];
  }
  const support = table[framework];
  if (!support) {
    return [`Neo documents no ${framework} compilation for ${target}; frameworks supported for ${target}: ${Object.keys(table).join(', ')} (${SUPPORT_PAGE}).`];
  }
  if (!checkVersion) return [];
  if (support.versions.length === 0) {
    if (frameworkVersion !== undefined) {
      return [
        `frameworkVersion "${frameworkVersion}" is given for ${framework}, but CreateCompilationJob takes a framework version only for MXNet, PyTorch, TensorFlow and TensorFlow Lite; ` +
          `omit it (Neo compiles ${framework} models of version ${support.modelVersion} or earlier for ${target}).`,
      ];
    }
    return [];
  }
  if (frameworkVersion === undefined) {
    return [`${framework} compilation for ${target} needs frameworkVersion; supported: ${support.versions.join(', ')} (${SUPPORT_PAGE}).`];
  }
  if (!support.versions.includes(frameworkVersion)) {
    return [`Neo documents no ${framework} ${frameworkVersion} compilation for ${target}; supported versions: ${support.versions.join(', ')} (${SUPPORT_PAGE}).`];
  }
  return [];
}

/** Whether compiling `framework` (at `frameworkVersion`) for `target` needs `DataInputConfig`. */
export function neoNeedsDataInputConfig(framework: NeoFramework, frameworkVersion: string | undefined, target: NeoTargetDevice): boolean {
  if (framework === NeoFramework.PYTORCH && target !== NeoTargetDevice.ML_INF1 && frameworkVersion !== undefined && /^([2-9]|\d{2,})\./.test(frameworkVersion)) return false;
  return NEEDS_DATA_INPUT_CONFIG.includes(framework);
}

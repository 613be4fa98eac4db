/**
 * The framework a model was trained with, as SageMaker Neo's `CreateCompilationJob` names it
 * (`InputConfig.Framework`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InputConfig.html
 */
export enum NeoFramework {
  /** TensorFlow (SavedModel or frozen graph). */
  TENSORFLOW = 'TENSORFLOW',
  /** Keras (`.h5`). */
  KERAS = 'KERAS',
  /** Apache MXNet (symbol and parameter files). */
  MXNET = 'MXNET',
  /** ONNX (`.onnx`). */
  ONNX = 'ONNX',
  /** PyTorch (TorchScript `.pt`/`.pth`). */
  PYTORCH = 'PYTORCH',
  /** XGBoost (a `.model` file). */
  XGBOOST = 'XGBOOST',
  /** TensorFlow Lite (edge devices only). */
  TFLITE = 'TFLITE',
  /** Darknet (edge devices only). */
  DARKNET = 'DARKNET',
  /** scikit-learn (edge devices only). */
  SKLEARN = 'SKLEARN',
}

/**
 * The SageMaker instance family a model is compiled for (`OutputConfig.TargetDevice`): the
 * cloud and AWS Inferentia targets that Neo's "Supported Instance Types and Frameworks" page
 * documents. Deploy the compiled model on an instance of the same family.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/neo-supported-cloud.html
 */
export enum NeoTargetDevice {
  /** `ml.c4` instances (CPU). */
  ML_C4 = 'ml_c4',
  /** `ml.c5` instances (CPU). */
  ML_C5 = 'ml_c5',
  /** `ml.m4` instances (CPU). */
  ML_M4 = 'ml_m4',
  /** `ml.m5` instances (CPU). */
  ML_M5 = 'ml_m5',
  /** `ml.p2` instances (GPU). */
  ML_P2 = 'ml_p2',
  /** `ml.p3` instances (GPU). */
  ML_P3 = 'ml_p3',
  /** `ml.g4dn` instances (GPU). */
  ML_G4DN = 'ml_g4dn',
  /** `ml.inf1` instances (AWS Inferentia). */
  ML_INF1 = 'ml_inf1',
}

import { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';

/** Options of {@link MonitorDatasetFormat.csv}. */
export interface CsvDatasetFormatOptions {
  /**
   * Whether the captured CSV files start with a header row.
   * @default true (the SageMaker Python SDK's `MonitoringDatasetFormat.csv()` default)
   */
  readonly header?: boolean;
}

/**
 * The format of the data a batch transform job captured, as the monitoring job reads it
 * (`MonitoringDatasetFormat`: CSV with or without a header, JSON Lines, or Parquet).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringDatasetFormat.html
 */
export class MonitorDatasetFormat {
  /** CSV files, with or without a header row. */
  public static csv(options: CsvDatasetFormatOptions = {}): MonitorDatasetFormat {
    return new MonitorDatasetFormat('csv', { csv: { header: options.header ?? true } });
  }

  /** JSON Lines files (one JSON object per line). */
  public static jsonLines(): MonitorDatasetFormat {
    return new MonitorDatasetFormat('jsonLines', { json: { line: true } });
  }

  /** Parquet files. */
  public static parquet(): MonitorDatasetFormat {
    return new MonitorDatasetFormat('parquet', { parquet: true });
  }

  private constructor(
    /** `csv`, `jsonLines` or `parquet`. */
    public readonly kind: string,
    private readonly rendered: RenderedDatasetFormat,
  ) {}

  /**
   * The `DatasetFormat` fragment of the job definitions' `BatchTransformInput`.
   * @internal
   */
  public _render(): RenderedDatasetFormat {
    return this.rendered;
  }
}

/** The rendered `DatasetFormat` (the same shape in the four job definition types). */
interface RenderedDatasetFormat {
  readonly csv?: { readonly header: boolean };
  readonly json?: { readonly line: boolean };
  readonly parquet?: boolean;
}

/**
 * What a monitor over batch transform output reads: where the transform job captured its
 * inputs and outputs (`DataCaptureConfig` of `CreateTransformJob`) and in which format.
 * `TransformJob.monitorInput(format)` builds one for a transform job with `dataCapture`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-batch.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BatchTransformInput.html
 */
export interface BatchTransformMonitorInput {
  /** The bucket the transform job captures its data to. */
  readonly captureBucket: s3.IBucket;
  /** The key prefix of the captured data (the transform job's `DataCaptureConfig.DestinationS3Uri`). */
  readonly capturePrefix: string;
  /** The format of the captured data. */
  readonly datasetFormat: MonitorDatasetFormat;
  /**
   * The key the captured data is encrypted with; the monitor's role may decrypt with it.
   * @default - the capture bucket's key, if any
   */
  readonly encryptionKey?: kms.IKey;
}

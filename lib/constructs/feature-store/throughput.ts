import { isConcrete } from '../../private/errors';

/** Read and write capacity of a provisioned feature group. */
export interface ProvisionedThroughputOptions {
  /** Read capacity units of the online store, 1 to 40,000 (SageMaker's limit). */
  readonly readCapacityUnits: number;
  /** Write capacity units of the online store, 1 to 40,000 (SageMaker's limit). */
  readonly writeCapacityUnits: number;
}

/**
 * How a feature group's online store is billed and scaled.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-throughput-mode.html
 */
export class Throughput {
  /** Pay per request; scales with traffic. */
  public static onDemand(): Throughput {
    return new Throughput('OnDemand');
  }

  /** Fixed read and write capacity, for steady, predictable traffic. */
  public static provisioned(options: ProvisionedThroughputOptions): Throughput {
    return new Throughput('Provisioned', options.readCapacityUnits, options.writeCapacityUnits);
  }

  private constructor(
    /** `OnDemand` or `Provisioned`. */
    public readonly mode: string,
    /** Provisioned read capacity units. */
    public readonly readCapacityUnits?: number,
    /** Provisioned write capacity units. */
    public readonly writeCapacityUnits?: number,
  ) {}

  /** Problems with the capacities, as sentences (empty when valid). */
  public problems(): string[] {
    const problems: string[] = [];
    for (const [what, value] of [['readCapacityUnits', this.readCapacityUnits], ['writeCapacityUnits', this.writeCapacityUnits]] as const) {
      if (isConcrete(value) && (!Number.isInteger(value) || value < 1 || value > 40000)) {
        problems.push(`provisioned ${what} is ${value}, but must be a whole number between 1 and 40000.`);
      }
    }
    return problems;
  }
}

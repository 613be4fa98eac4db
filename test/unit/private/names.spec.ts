import { Construct } from 'constructs';
import { pathBasedName } from '../../../lib/private/names';
import { testStack } from '../../helpers';

describe('pathBasedName', () => {
  test('joins the stack name and construct path with single hyphens', () => {
    const stack = testStack();
    const scope = new Construct(stack, 'Ml_Platform');
    expect(pathBasedName(scope, 'Loan Default', 63)).toBe('TestStack-Ml-Platform-Loan-Default');
  });

  test('cuts to the maximum length without leaving a hyphen at the end', () => {
    const stack = testStack();
    expect(pathBasedName(stack, 'Registry', 10)).toBe('TestStack');
  });
});

import { MlNetwork, NotebookInstance } from '../../../lib';
import { testStack } from '../../helpers';

// NotebookInstanceName: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*, at most 63 characters (CreateNotebookInstance).
describe('notebookInstanceName', () => {
  function make(notebookInstanceName: string) {
    const stack = testStack();
    return () => new NotebookInstance(stack, 'Notebook', { network: new MlNetwork(stack, 'Network'), notebookInstanceName });
  }
  test('63 characters pass; 64 fail with the rule and the fix', () => {
    expect(make('n'.repeat(63))).not.toThrow();
    expect(make('n'.repeat(64))).toThrow(
      /\[TestStack\/Notebook\] notebookInstanceName is "n{64}" \(64 characters\), but must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit; rename it, or leave it unset/,
    );
  });
});

import { expect } from 'chai';
import { visibleProjects, type ProjectRow } from '../../src/aws/ls.js';

const row = (Name: string, Status: string): ProjectRow => ({ Name, Status, StackStatus: '', StackId: '' });

describe('ls -a', () => {
  it('shows only projects that run something, and every project with -a', () => {
    const rows = [row('a', 'running'), row('b', 'failed'), row('c', 'deleting'), row('d', 'rolled back'), row('e', 'delete failed'), row('f', 'deploying')];
    expect(visibleProjects(rows, false).map((r) => r.Name)).to.deep.equal(['a', 'd', 'f']);
    expect(visibleProjects(rows, true).map((r) => r.Name)).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

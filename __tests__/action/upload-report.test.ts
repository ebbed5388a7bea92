import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { ArtifactClient } from '@actions/artifact';

// The real upload, against a local artifact service, is exercised end to end in bundle.e2e.test.ts.
const uploadArtifact = jest.fn<ArtifactClient['uploadArtifact']>();
jest.unstable_mockModule('@actions/artifact', () => ({
  DefaultArtifactClient: class {
    uploadArtifact = uploadArtifact;
  },
}));
const { uploadReport } = await import('../../action/upload-report.js');

const NAME = 'tuneguard-report-pr7-ec26c3e57ca3a959ca5aad62de7213c562f8c821';
afterEach(() => {
  uploadArtifact.mockReset();
});

describe('uploadReport', () => {
  it('uploads the report, zipped from its own folder, under the name the App looks for', async () => {
    uploadArtifact.mockResolvedValue({ id: 31, size: 420 });
    const outcome = await uploadReport(NAME, '/work/repo/out/report.json', { ACTIONS_RUNTIME_TOKEN: 't' });
    expect(outcome).toEqual({ uploaded: true, name: NAME, id: 31 });
    expect(uploadArtifact).toHaveBeenCalledWith(NAME, ['/work/repo/out/report.json'], '/work/repo/out');
  });

  it('does not try outside a runner', async () => {
    expect(await uploadReport(NAME, '/r.json', {})).toEqual({
      uploaded: false,
      name: NAME,
      reason: 'not-on-runner',
      message: 'not running on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN)',
    });
    expect(uploadArtifact).not.toHaveBeenCalled();
  });

  it('turns a failed upload into an outcome, not a crash (also for a non-Error throw)', async () => {
    uploadArtifact.mockRejectedValueOnce(
      new Error('Failed to CreateArtifact: Received non-retryable error: (409) Conflict'),
    );
    uploadArtifact.mockRejectedValueOnce('socket hang up');
    const env = { ACTIONS_RUNTIME_TOKEN: 't' };
    expect(await uploadReport(NAME, '/r.json', env)).toEqual({
      uploaded: false,
      name: NAME,
      reason: 'failed',
      message: 'Failed to CreateArtifact: Received non-retryable error: (409) Conflict',
    });
    expect(await uploadReport(NAME, '/r.json', env)).toMatchObject({
      reason: 'failed',
      message: 'socket hang up',
    });
  });
});

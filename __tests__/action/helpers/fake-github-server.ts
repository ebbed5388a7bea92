import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  documentedExample,
  expectDocumentedRequest,
  type RecordedRequest,
} from '../../helpers/github-openapi.js';

/** An issue comment as the fake API keeps it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; id: number; type: string };
  html_url: string;
}

/** A request to GitHub's REST API as the fake received it, with its `authorization` header. */
export interface ReceivedRequest extends RecordedRequest {
  authorization: string | undefined;
}

/** One artifact uploaded through the fake artifact service (or seeded with `addArtifact`). */
export interface FakeArtifact {
  create: Record<string, unknown>;
  /** The blob's bytes, assembled from its committed blocks. */
  blob: Buffer;
  finalize?: Record<string, unknown>;
  /** The REST API's id of the artifact, and the run that uploaded it (see `setRun`). */
  id?: number;
  run?: FakeRun;
  createdAt?: string;
  expired?: boolean;
}

/** A workflow run as the REST API describes it: what a baseline's checks read. */
export interface FakeRun {
  id: number;
  event: string;
  headBranch: string;
  headSha: string;
  /** `owner/repo` of the run's head repository (a fork's, for a fork's pull request); default the repository. */
  headRepository?: string;
}

/** The fake: its base URL, what it received, and what it holds. */
export interface FakeGitHub {
  url: string;
  requests: ReceivedRequest[];
  /** Requests the fake could not answer, or REST requests GitHub's description does not allow. */
  problems: string[];
  comments: FakeComment[];
  artifacts: FakeArtifact[];
  /**
   * Makes the next request with this method and path (without the query) get `status` and `body`
   * instead of the fake's own answer: a 403 for a read-only token, a 500, a refused artifact, say. A
   * REST request is recorded (and checked against GitHub's description) first. `fault` adds response
   * headers (a rate limit's `x-ratelimit-remaining`, `retry-after`), repeats the failure `times`
   * requests in a row, and runs `effect` when it answers (a comment deleted meanwhile, say).
   */
  failNext: (method: string, pathname: string, status: number, body: unknown, fault?: Fault) => void;
  /**
   * Holds the answers to requests with this method and path until `count` of them arrived, then
   * answers them all: runs that race (each lists the comments before any creates one) race for sure.
   */
  holdUntil: (method: string, pathname: string, count: number) => void;
  /** Forgets every request, comment, artifact, problem and pending failure, between tests. */
  reset: () => void;
  /**
   * The run that uploads the next artifacts, listed by the REST API's artifact endpoints (list for the
   * repository, with `name` and pages; get the run; download, which redirects to the HTTPS download host).
   */
  setRun: (run: FakeRun | undefined) => void;
  /** Adds an artifact as if `run` had uploaded the zip `blob`. */
  addArtifact: (artifact: {
    name: string;
    blob: Buffer;
    run: FakeRun;
    createdAt?: string;
    expired?: boolean;
  }) => void;
  /**
   * The certificate of the HTTPS host that serves artifact downloads (GitHub redirects downloads to an
   * https storage address), for `NODE_EXTRA_CA_CERTS`; set when started with `{ downloads: true }`.
   */
  caFile?: string;
  close: () => Promise<void>;
}

/** How an injected failure behaves beyond its status and body. */
export interface Fault {
  headers?: Record<string, string>;
  /** How many matching requests in a row fail (1 by default). */
  times?: number;
  effect?: () => void;
}

const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';

// A runtime token as the runner issues it: a JWT whose `scp` claim names the run's backend ids.
export const RUN_BACKEND = 'ce7f54c7-61c7-4aae-887f-30da475f5f1a';
export const JOB_BACKEND = 'ca395085-040a-526b-2ce8-bdc85f692774';
const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** `ACTIONS_RUNTIME_TOKEN` as a runner sets it, for @actions/artifact's client. */
export const RUNTIME_TOKEN = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({
  scp: `Actions.ExampleScope Actions.Results:${RUN_BACKEND}:${JOB_BACKEND}`,
})}.c2lnbmF0dXJl`;

/** The variables that point @actions/artifact's client at the fake's artifact service. */
export function artifactServiceEnv(fake: Pick<FakeGitHub, 'url'>): Record<string, string> {
  return { ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN, ACTIONS_RESULTS_URL: `${fake.url}/` };
}

/**
 * Starts a local HTTP server on 127.0.0.1 that plays what the Action talks to: GitHub's REST API for
 * issue comments (list with pagination, create, update, delete; each request checked against GitHub's
 * REST description) and the Actions artifact service (Twirp `CreateArtifact`/`FinalizeArtifact` and the blob
 * storage's `Put Block`/`Put Block List` behind the signed upload URL).
 */
export async function startFakeGitHub(
  repository: { owner: string; repo: string },
  options: { downloads?: boolean } = {},
): Promise<FakeGitHub> {
  const fake: Omit<
    FakeGitHub,
    'url' | 'close' | 'failNext' | 'holdUntil' | 'reset' | 'setRun' | 'addArtifact'
  > = {
    requests: [],
    problems: [],
    comments: [],
    artifacts: [],
  };
  const blocks = new Map<string, Buffer>();
  const failures: { method: string; pathname: string; status: number; body: unknown; fault: Fault }[] = [];
  const holds: { method: string; pathname: string; count: number; waiting: (() => void)[] }[] = [];
  let nextId = 1000;
  let url = '';
  let currentRun: FakeRun | undefined;
  const downloads = options.downloads ? await startDownloadHost(fake.artifacts) : undefined;

  const handle = (req: IncomingMessage, raw: Buffer, res: ServerResponse): void => {
    const target = new URL(req.url ?? '/', url);
    const method = req.method ?? 'GET';
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };

    const failure = failures.findIndex((f) => f.method === method && f.pathname === target.pathname);
    const fail = (): void => {
      const none: Fault = {};
      const [{ status, body: answer, fault } = { status: 500, body: undefined, fault: none }] =
        failures.splice(failure, 1);
      fault.effect?.();
      json(status, answer, fault.headers);
    };
    if (failure >= 0 && (target.pathname.startsWith(TWIRP) || target.pathname.startsWith('/blob/'))) {
      return fail();
    }

    if (target.pathname.startsWith(TWIRP)) {
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (target.pathname.endsWith('/CreateArtifact')) {
        fake.artifacts.push({
          create: body,
          blob: Buffer.alloc(0),
          id: fake.artifacts.length + 1,
          ...(currentRun ? { run: currentRun, createdAt: new Date().toISOString() } : {}),
        });
        const signed = `${url}/blob/artifacts/${fake.artifacts.length}.zip?sv=2023-11-03&sig=signature`;
        return json(200, { ok: true, signedUploadUrl: signed });
      }
      if (target.pathname.endsWith('/FinalizeArtifact')) {
        const artifact = fake.artifacts.at(-1);
        if (artifact) artifact.finalize = body;
        return json(200, { ok: true, artifactId: String(fake.artifacts.length) });
      }
    }

    if (target.pathname.startsWith('/blob/') && method === 'PUT') {
      const comp = target.searchParams.get('comp');
      const artifact = fake.artifacts.at(-1);
      if (comp === 'block') {
        blocks.set(target.searchParams.get('blockid') ?? '', raw);
      } else if (comp === 'blocklist' && artifact) {
        const ids = [...raw.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)</g)];
        artifact.blob = Buffer.concat(ids.map(([, id = '']) => blocks.get(id) ?? Buffer.alloc(0)));
      } else if (comp === null && artifact) {
        artifact.blob = raw;
      }
      res.writeHead(201, { etag: '"0x8DC0000000000000"', 'last-modified': new Date(0).toUTCString() });
      return void res.end();
    }

    // GitHub's REST API.
    const path = `${target.pathname}${target.search}`;
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
    const request: ReceivedRequest = {
      method,
      path,
      ...(body !== undefined ? { body } : {}),
      authorization: req.headers.authorization,
    };
    fake.requests.push(request);
    try {
      expectDocumentedRequest(request);
    } catch (error) {
      fake.problems.push(String(error));
      return json(422, { message: String(error) });
    }
    if (failure >= 0) return fail();
    const repo = `/repos/${repository.owner}/${repository.repo}`;
    const list = new RegExp(`^${repo}/issues/(\\d+)/comments$`).exec(target.pathname);
    const one = new RegExp(`^${repo}/issues/comments/(\\d+)$`).exec(target.pathname);
    const htmlUrl = (issue: string, id: number) =>
      `https://github.com/${repository.owner}/${repository.repo}/pull/${issue}#issuecomment-${id}`;
    const actions = answerActions({ method, target, repository, artifacts: fake.artifacts, url, downloads });
    if (actions) return json(actions.status, actions.body, actions.headers);
    if (list && method === 'GET') {
      const perPage = Number(target.searchParams.get('per_page') ?? 30);
      const page = Number(target.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(fake.comments.length / perPage));
      const headers: Record<string, string> =
        page < last
          ? { link: `<${url}${target.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` }
          : {};
      return json(200, fake.comments.slice((page - 1) * perPage, page * perPage), headers);
    }
    if (list && method === 'POST') {
      nextId += 1;
      const comment: FakeComment = {
        id: nextId,
        body: (body as { body: string }).body,
        user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
        html_url: htmlUrl(list[1] ?? '', nextId),
      };
      fake.comments.push(comment);
      return json(201, comment);
    }
    const existing = one ? fake.comments.find((c) => c.id === Number(one[1])) : undefined;
    if (existing && method === 'PATCH') {
      existing.body = (body as { body: string }).body;
      return json(200, existing);
    }
    if (existing && method === 'DELETE') {
      fake.comments.splice(fake.comments.indexOf(existing), 1);
      res.writeHead(204);
      return void res.end();
    }
    if (one && (method === 'PATCH' || method === 'DELETE')) {
      // What GitHub answers for a comment deleted in the meantime.
      return json(404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      });
    }
    fake.problems.push(`no answer for ${method} ${path}`);
    return json(404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (): void => {
        try {
          handle(req, Buffer.concat(chunks), res);
        } catch (error) {
          fake.problems.push(`${req.method} ${req.url}: ${String(error)}`);
          res.writeHead(500).end();
        }
      };
      const pathname = new URL(req.url ?? '/', url).pathname;
      const hold = holds.find((h) => h.method === req.method && h.pathname === pathname);
      if (!hold) return answer();
      hold.waiting.push(answer);
      if (hold.waiting.length < hold.count) return;
      holds.splice(holds.indexOf(hold), 1);
      for (const waiting of hold.waiting) waiting();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...fake,
    url,
    failNext: (method, pathname, status, body, fault = {}) => {
      for (let i = 0; i < (fault.times ?? 1); i += 1)
        failures.push({ method, pathname, status, body, fault });
    },
    holdUntil: (method, pathname, count) => void holds.push({ method, pathname, count, waiting: [] }),
    reset: () => {
      for (const list of [fake.requests, fake.problems, fake.comments, fake.artifacts, failures, holds])
        list.length = 0;
      blocks.clear();
      nextId = 1000;
      currentRun = undefined;
    },
    setRun: (run) => {
      currentRun = run;
    },
    addArtifact: ({ name, blob, run, createdAt, expired }) => {
      fake.artifacts.push({
        create: { name },
        blob,
        finalize: { name, hash: `sha256:${createHash('sha256').update(blob).digest('hex')}` },
        id: fake.artifacts.length + 1,
        run,
        createdAt: createdAt ?? new Date().toISOString(),
        ...(expired ? { expired } : {}),
      });
    },
    ...(downloads ? { caFile: downloads.caFile } : {}),
    close: async () => {
      await downloads?.close();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** A REST answer of the Actions endpoints. */
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The Actions endpoints a baseline lookup uses, as GitHub's description documents them: the
 * repository's artifacts (newest first, `name` filter, pages), one workflow run, and an artifact's
 * download (a 302 to the download host). Artifacts without a run (uploaded before `setRun`) are not listed.
 */
function answerActions(request: {
  method: string;
  target: URL;
  repository: { owner: string; repo: string };
  artifacts: readonly FakeArtifact[];
  url: string;
  downloads: { url: string } | undefined;
}): Answer | undefined {
  const { method, target, repository, artifacts, url, downloads } = request;
  if (method !== 'GET') return undefined;
  const repo = `/repos/${repository.owner}/${repository.repo}`;
  const fullName = `${repository.owner}/${repository.repo}`;
  const listed = artifacts.filter((a) => a.run !== undefined && a.id !== undefined).reverse();
  if (target.pathname === `${repo}/actions/artifacts`) {
    const name = target.searchParams.get('name');
    const matching = listed.filter((a) => name === null || a.create['name'] === name);
    const perPage = Number(target.searchParams.get('per_page') ?? 30);
    const page = Number(target.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(matching.length / perPage));
    const nameQuery = name === null ? '' : `&name=${encodeURIComponent(name)}`;
    const headers: Record<string, string> =
      page < last
        ? { link: `<${url}${target.pathname}?per_page=${perPage}${nameQuery}&page=${page + 1}>; rel="next"` }
        : {};
    const shown = matching.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: { total_count: matching.length, artifacts: shown.map((a) => describeArtifact(a, url, repo)) },
      headers,
    };
  }
  const run = new RegExp(`^${repo}/actions/runs/(\\d+)$`).exec(target.pathname);
  if (run) {
    const found = listed.find((a) => a.run?.id === Number(run[1]))?.run;
    if (!found) return { status: 404, body: { message: 'Not Found' } };
    return { status: 200, body: describeRun(found, fullName) };
  }
  const download = new RegExp(`^${repo}/actions/artifacts/(\\d+)/zip$`).exec(target.pathname);
  if (download && downloads) {
    const found = listed.find((a) => a.id === Number(download[1]));
    if (!found) return { status: 404, body: { message: 'Not Found' } };
    return {
      status: 302,
      body: '',
      headers: { location: `${downloads.url}/artifacts/${found.id}.zip?sig=signature` },
    };
  }
  return undefined;
}

function describeArtifact(artifact: FakeArtifact, url: string, repo: string): unknown {
  const example = documentedExample<Record<string, unknown>>('artifact');
  const run = artifact.run as FakeRun;
  const hash = artifact.finalize?.['hash'];
  const { digest: _exampleDigest, ...rest } = example;
  return {
    ...rest,
    id: artifact.id,
    name: artifact.create['name'],
    size_in_bytes: artifact.blob.length,
    url: `${url}${repo}/actions/artifacts/${artifact.id}`,
    archive_download_url: `${url}${repo}/actions/artifacts/${artifact.id}/zip`,
    expired: artifact.expired ?? false,
    created_at: artifact.createdAt,
    ...(typeof hash === 'string' ? { digest: hash } : {}),
    workflow_run: {
      id: run.id,
      repository_id: 1296269,
      head_repository_id: 1296269,
      head_branch: run.headBranch,
      head_sha: run.headSha,
    },
  };
}

function describeRun(run: FakeRun, fullName: string): unknown {
  const example = documentedExample<
    { head_repository: object; repository: object } & Record<string, unknown>
  >('workflow-run');
  return {
    ...example,
    id: run.id,
    event: run.event,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    html_url: `https://github.com/${fullName}/actions/runs/${run.id}`,
    head_repository: { ...example.head_repository, full_name: run.headRepository ?? fullName },
    repository: { ...example.repository, full_name: fullName },
  };
}

/**
 * The storage host artifact downloads redirect to: HTTPS on 127.0.0.1 with a self-signed certificate
 * made by openssl for the run (its file goes in `NODE_EXTRA_CA_CERTS` of the process that downloads).
 */
async function startDownloadHost(
  artifacts: readonly FakeArtifact[],
): Promise<{ url: string; caFile: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-github-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const id = /^\/artifacts\/(\d+)\.zip$/.exec(new URL(req.url ?? '/', 'https://127.0.0.1').pathname)?.[1];
    const artifact = artifacts.find((a) => a.id === Number(id));
    if (!artifact) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/zip' }).end(artifact.blob);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile: cert,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

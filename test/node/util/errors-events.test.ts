/**
 * Typed errors and events. tsc runs over test/ (`npm run typecheck`), so the `@ts-expect-error`
 * lines are tests too: each fails the typecheck if a code union or an event map stops
 * rejecting what it should.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InrError, InrFormatError, InrLoadError, InrTrainError, type InrErrorCode } from '../../../src/util/errors.js';
import { TypedEventTarget } from '../../../src/util/events.js';
import { encodeInrSegments, resolveLimits } from '../../../src/format/index.js';
import { loadInr } from '../../../src/loader/load.js';

describe('InrError', () => {
  it('names its class, keeps its code, and puts the field before the message', () => {
    const e = new InrFormatError('limit', 'is 9, over the limit of 8', 'header.tensors');
    assert.ok(e instanceof InrError && e instanceof Error);
    assert.equal(e.name, 'InrFormatError');
    assert.equal(e.code, 'limit');
    assert.equal(e.field, 'header.tensors');
    assert.equal(e.message, 'header.tensors: is 9, over the limit of 8');
    assert.equal(new InrLoadError('no-body', 'the response has no body').message, 'the response has no body');
  });

  it("takes only its class's codes: another class's, or a misspelt one, does not compile", () => {
    // @ts-expect-error: 'http' is an InrLoadError code, not an InrFormatError one
    const foreign = new InrFormatError('http', 'x');
    // @ts-expect-error: misspelt ('nan-loss')
    const misspelt = new InrTrainError('nan-los', 'x');
    const caught: InrError = new InrTrainError('nan-loss', 'x');
    // @ts-expect-error: no class has this code, so a comparison with it is always false
    const never = caught.code === 'nan-los';
    assert.deepEqual([foreign.code, misspelt.code, never], ['http', 'nan-los', false]);
  });
});

describe('error codes not pinned elsewhere', () => {
  const is = (cls: typeof InrFormatError | typeof InrLoadError, code: InrErrorCode, field?: string) => (e: unknown) =>
    e instanceof cls && e.code === code && (field === undefined || e.field === field);

  it("format: a caller's bad limits or segments are 'invalid-argument'", () => {
    assert.throws(() => resolveLimits({ maxTensors: 0 }), is(InrFormatError, 'invalid-argument', 'limits.maxTensors'));
    assert.throws(() => encodeInrSegments([]), is(InrFormatError, 'invalid-argument', 'models'));
  });

  it("load: a response without a body is 'no-body'; a fetch that fails is 'network'", async () => {
    await assert.rejects(loadInr(new Response(null)), is(InrLoadError, 'no-body'));
    // Port 1 on this machine: the connection is refused at once.
    await assert.rejects(loadInr('http://127.0.0.1:1/model.inr'), is(InrLoadError, 'network', 'http://127.0.0.1:1/model.inr'));
  });
});

interface PingEventMap {
  ping: CustomEvent<{ n: number }>;
  stop: Event;
}

class Pinger extends TypedEventTarget<PingEventMap> {
  ping(n: number): void {
    this.emit('ping', { n });
  }
  stop(): void {
    this.emit('stop');
  }
  /** Never called: what must not compile. */
  wrong(): void {
    // @ts-expect-error: ping's detail is { n: number }
    this.emit('ping', { n: 'one' });
    // @ts-expect-error: ping needs its detail
    this.emit('ping');
    // @ts-expect-error: stop is a plain Event, it has no detail
    this.emit('stop', { n: 1 });
    // @ts-expect-error: not an event of this map
    this.emit('pong', { n: 1 });
  }
}

describe('TypedEventTarget', () => {
  it('types each listener by its event map: the detail needs no cast, and `this` is the target', () => {
    const pinger = new Pinger();
    const seen: number[] = [];
    let stops = 0;
    const onPing = function (this: Pinger, e: CustomEvent<{ n: number }>) {
      assert.equal(this, pinger);
      seen.push(e.detail.n);
    };
    pinger.addEventListener('ping', onPing);
    pinger.addEventListener('ping', (e) => seen.push(e.detail.n * 10), { once: true });
    pinger.addEventListener('stop', () => stops++);
    pinger.ping(1);
    pinger.removeEventListener('ping', onPing);
    pinger.ping(2);
    pinger.stop();
    assert.deepEqual(seen, [1, 10]);
    assert.equal(stops, 1);
  });
});

import { shapeOf } from '../shared/testing/state-shape';
import { seatPoolDecider } from './seat-pool.decider';
import { SEAT_POOL_STATE_VERSION } from './seat-pool.state';
import { alertRaised, at, checkedOut, heartbeat, started } from './testing/fixtures';
import { given } from './testing/given-when-then';

describe('SeatPoolState and its version', () => {
  it('has the shape that SEAT_POOL_STATE_VERSION names (a failure here: raise the version, then update this test)', () => {
    const { state } = given(started('s1', 'u1'), heartbeat('s1', 'u1', at(1)), checkedOut('c1', 'u2'), alertRaised('r1', 1, 2, 2));
    const holding = { checkoutIds: { Set: 'empty' }, sessionIds: { Set: 'string' } };
    expect({ version: SEAT_POOL_STATE_VERSION, shape: shapeOf(state) }).toEqual({
      version: 3,
      shape: {
        accountId: 'string',
        productId: 'string',
        activeSessions: {
          Map: {
            sessionId: 'string',
            userId: 'string',
            machineId: 'string',
            country: 'string',
            startedAt: 'string',
            lastHeartbeatAt: 'string',
            termLicenseUsage: 'boolean',
          },
        },
        activeCheckouts: { Map: { checkoutId: 'string', userId: 'string', machineId: 'string', checkedOutAt: 'string', expiresAt: 'string' } },
        holders: { Map: holding },
        alerts: { Map: { raised: 'number', armed: 'boolean', thresholdSeats: 'number' } },
      },
    });
  });

  it('is snapshotted under that version', () => {
    expect(seatPoolDecider.stateVersion).toBe(SEAT_POOL_STATE_VERSION);
  });
});

import { ChannelUnavailableError, NotificationChannel } from './notification-channel';

const notification = { id: 'ntf_1', orderId: 'ord_1', kind: 'confirmed' as const };

describe('NotificationChannel', () => {
  it('never fails at failure rate 0, and never asks the random source', () => {
    const random = jest.fn(() => 0);
    expect(() => new NotificationChannel(0, random).deliver(notification)).not.toThrow();
    expect(random).not.toHaveBeenCalled();
  });

  it('fails when the draw falls below the failure rate', () => {
    expect(() => new NotificationChannel(0.3, () => 0.29).deliver(notification)).toThrow(ChannelUnavailableError);
  });

  it('delivers when the draw is at or above the failure rate', () => {
    expect(() => new NotificationChannel(0.3, () => 0.3).deliver(notification)).not.toThrow();
  });

  it('always fails at failure rate 1', () => {
    expect(() => new NotificationChannel(1, () => 0.999).deliver(notification)).toThrow(ChannelUnavailableError);
  });
});

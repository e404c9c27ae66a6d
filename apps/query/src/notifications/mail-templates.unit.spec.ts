import { isMailed, MAIL_TEMPLATES } from './mail-templates';

describe('what is mailed', () => {
  it('mails AlertRaised (administrators and the rule named by ruleId) and RegistrationRequested (administrators), nothing else', () => {
    expect(isMailed('AlertRaised')).toBe(true);
    expect(isMailed('RegistrationRequested')).toBe(true);
    expect(isMailed('UsageDenied')).toBe(false);
    expect(isMailed('toString')).toBe(false);
    expect(MAIL_TEMPLATES.AlertRaised.notifyRuleField).toBe('ruleId');
    expect(MAIL_TEMPLATES.RegistrationRequested.notifyRuleField).toBeUndefined();
  });

  it('says what happened', () => {
    const alert = { productId: 'MSTN', seatsInUse: 5, seats: 5, thresholdSeats: 5, raisedAt: '2026-03-01T10:00:00Z', ruleId: 'r1', alertId: 'a1' };
    expect(MAIL_TEMPLATES.AlertRaised.subject(alert)).toBe('License alert: MSTN has 5 seats in use (threshold 5)');
    expect(MAIL_TEMPLATES.AlertRaised.text(alert)).toContain('Seats in use: 5 of 5 owned');
    const request = { requestId: 'q1', email: 'pat@acme.example', displayName: 'Pat', country: 'DE' };
    expect(MAIL_TEMPLATES.RegistrationRequested.subject(request)).toBe('Registration request: Pat asks to join your account');
    expect(MAIL_TEMPLATES.RegistrationRequested.text(request)).toContain('Email: pat@acme.example');
  });
});

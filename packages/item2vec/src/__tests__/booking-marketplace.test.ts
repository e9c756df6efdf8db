import { describe, expect, it } from 'vitest';
import { generateBookingMarketplace, listingKind } from '../booking-marketplace';
import { marketplaceRerankCases } from '../personalisation-eval';
import { TypeBucketer } from '../types';

describe('generateBookingMarketplace', () => {
  const m = generateBookingMarketplace({ seed: 5 });
  const listing = new Map(m.listings.map((l) => [l.id, l]));
  const user = new Map(m.users.map((u) => [u.id, u]));

  it('books a shown listing, and only hosts of the rejecting kind reject, only that segment', () => {
    for (const t of m.trips) {
      if (t.booked !== undefined) expect(t.candidates).toContain(t.booked);
      for (const r of t.rejected) expect(m.rejects.get(listingKind(listing.get(r)!))).toBe(user.get(t.user)!.segment);
    }
    expect(m.bookings.filter((b) => b.rejected).length).toBeGreaterThan(30);
  });

  it('plants the long-term preference: a segment books its preferred kind well above chance (1/9)', () => {
    let preferred = 0;
    let booked = 0;
    for (const t of m.trips) {
      if (t.booked === undefined) continue;
      booked++;
      if (listingKind(listing.get(t.booked)!) === m.preferences.get(user.get(t.user)!.segment)) preferred++;
    }
    expect(preferred / booked).toBeGreaterThan(0.2);
  });

  it('is reproducible by seed and refuses bad options', () => {
    expect(generateBookingMarketplace({ seed: 5 }).bookings).toEqual(m.bookings);
    expect(() => generateBookingMarketplace({ impressions: 100 })).toThrow(/must not exceed listingsPerMarket/);
    expect(() => generateBookingMarketplace({ rejectionRate: 2 })).toThrow(/rejectionRate/);
    expect(() => generateBookingMarketplace({ preferenceWeight: Number.NaN })).toThrow(/preferenceWeight/);
  });

  it('gives re-ranking cases with the history before the booking search and the user type at that time', () => {
    const bucketer = TypeBucketer.fit({ listing: [{ name: 'market', code: '' }], user: [{ name: 'device', code: 'dt' }] });
    const cases = marketplaceRerankCases(m, { bucketer });
    expect(cases.length).toBe(m.trips.filter((t) => t.booked !== undefined).length);
    for (const { case: c } of cases) {
      expect(c.candidates).toContain(c.target);
      expect(c.listingTypes).toHaveLength(c.candidates.length);
      for (const item of c.history.longClicks ?? []) expect(c.history.clicks).toContain(item);
    }
    // The user type counts the user's earlier bookings: 0 at the first, 1 at the second.
    const seen = new Map<string, number>();
    for (const { user: u, case: c } of cases) {
      const before = seen.get(u) ?? 0;
      seen.set(u, before + 1);
      if (before < 2) expect(c.userType!.endsWith(before === 0 ? '_nb1' : '_nb2')).toBe(true);
    }
  });
});

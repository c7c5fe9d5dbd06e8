/** Neutron's timestamps: ISO 8601 in UTC to the second (`2026-01-01T00:00:00Z`). */
export const neutronTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

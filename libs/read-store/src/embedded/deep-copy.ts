import rfdc from 'rfdc';

/**
 * Deep copy of document values (JSON values and Dates). rfdc, not structuredClone:
 * structuredClone serialises and deserialises, several times slower on the many
 * small documents a report or a commit copies.
 */
export const deepCopy: <T>(value: T) => T = rfdc();

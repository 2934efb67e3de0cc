import type { ValueTransformer } from 'typeorm';

/** bigint columns hold money in minor units; they stay far below 2^53 (see the DTO limits). */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

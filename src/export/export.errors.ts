import { HttpProblem } from '../http/problem.ts';

/** The export feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

/** A file of another version of the export format than `supported`, the one this Doable reads. */
export const unsupportedVersion = (version: number, supported: number) =>
  new HttpProblem(
    400,
    'export.unsupported_version',
    version > supported
      ? `This file is version ${version} of the export format, newer than this Doable reads (version ${supported}); upgrade this Doable, or export again from one of the same version.`
      : `This file is version ${version} of the export format, which this Doable does not read (version ${supported}); export again from the Doable it came from after upgrading it.`,
  );

/**
 * A topology that cannot run here (a front's binary is not installed, in local mode): the
 * scenario is reported as skipped with this reason, never as passed.
 */
export class TopologyUnavailable extends Error {
  override name = 'TopologyUnavailable';
}

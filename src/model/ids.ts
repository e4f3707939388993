/** A server's myid (the N of `server.N` in zoo.cfg). */
export type ServerId = number;

/** The four ServerState values of QuorumPeer.java, in their wire order (0..3). */
export type PeerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** Zab phase of a peer (QuorumPeer.ZabState), monitoring only. */
export type ZabPhase = 'ELECTION' | 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST';

export type ServerRole = 'voter' | 'observer';

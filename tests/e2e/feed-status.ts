/** A followed feed's status line in Options, as it reads: "Fetched …", "Last attempt … failed: …", "Needs permission …", "Not fetched yet", "Refreshing…". */
export const FEED_STATUS = /^(Fetched |Last attempt |Needs permission |Not fetched yet|Refreshing…)/;

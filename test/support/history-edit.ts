/** A history in the JSON form Temporal exports (`historyToJSON`), as far as the edits below need it. */
export interface HistoryJson {
  events: {
    activityTaskScheduledEventAttributes?: { activityType: { name: string } };
    markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: { data?: string }[] }> };
  }[];
}

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * Renames the first activity the history records, as a forger would: a regular activity's
 * scheduled event, or a local activity's marker (its `data` detail is plain JSON naming the
 * activity type). Replaying the edited history must then fail.
 */
export function renameFirstActivity(json: HistoryJson, name: string): void {
  for (const event of json.events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled !== undefined) {
      scheduled.activityType.name = name;
      return;
    }
    const marker = event.markerRecordedEventAttributes;
    const payload = marker?.markerName === LOCAL_ACTIVITY_MARKER ? marker.details?.data?.payloads?.[0] : undefined;
    if (payload?.data !== undefined) {
      const data = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as { activity_type: string };
      data.activity_type = name;
      payload.data = Buffer.from(JSON.stringify(data)).toString('base64');
      return;
    }
  }
  throw new Error('the history records no activity to rename');
}

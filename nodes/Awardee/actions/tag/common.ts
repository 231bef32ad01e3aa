import type { IDataObject } from 'n8n-workflow';

import { idToString, textOrNull, toUtcIso } from '../../../shared/normalize';

/** A palette tag with the package's time format; the vendor's JSON stays available in raw output. */
export function tagOutput(raw: IDataObject): IDataObject {
	return {
		id: idToString(raw.id),
		name: textOrNull(raw.name),
		color: textOrNull(raw.color),
		createdAt: toUtcIso(raw.created_at),
	};
}

import { guarded, readItem, updateItem } from '../../../../lib/items.js'

// GET /api/items/{id}: the item or 404; PATCH /api/items/{id}: changes the fields sent.
export async function GET(request, { params }) {
  const { id } = await params
  return guarded(() => readItem(id))
}

export async function PATCH(request, { params }) {
  const { id } = await params
  return guarded(() => updateItem(request, id))
}

import { createItem, guarded, listItems } from '../../../lib/items.js'

// GET /api/items: a page of items; POST /api/items: 201 with the new item.
export async function GET(request) {
  return guarded(() => listItems(request))
}

export async function POST(request) {
  return guarded(() => createItem(request))
}

/** The drag-and-drop payload type from the palette to the canvas: the activity type name. */
export const paletteDragType = 'application/x-playbooks-activity';

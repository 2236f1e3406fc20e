export declare const ICON_SIZES: number[];
export declare const TOOLBAR_SIZES: number[];
export declare const ICON_DIR: string;
export declare function renderIcon(size: number, options?: { idle?: boolean }): Buffer;
export declare function scanlines(rgba: Buffer, size: number): Buffer;
export declare function encodePng(rgba: Buffer, size: number): Buffer;

//! Reading a file the user picked or dropped.

use marginalia_core::input::{self, InputError};
use wasm_bindgen_futures::JsFuture;

/// A text file's name and exact text, or a message naming the problem.
pub async fn read_text(file: &web_sys::File) -> Result<(String, String), String> {
    let name = file.name();
    input::check_file_kind(&name, &file.type_()).map_err(|e| e.to_string())?;
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("\"{name}\" could not be read."))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let text = input::decode_file(&name, &bytes).map_err(|e: InputError| e.to_string())?;
    Ok((name, text))
}

/// A file's name and bytes, or a message naming the problem.
pub async fn read_bytes(file: &web_sys::File) -> Result<(String, Vec<u8>), String> {
    let name = file.name();
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("\"{name}\" could not be read."))?;
    Ok((name, js_sys::Uint8Array::new(&buffer).to_vec()))
}

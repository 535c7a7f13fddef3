{
  "targets": [
    {
      "target_name": "vkmap_native",
      "sources": [
        "src/addon/addon.cc",
        "src/addon/args.cc",
        "src/addon/commands.cc",
        "src/addon/device.cc",
        "src/addon/errors.cc",
        "src/addon/fault-guard.cc",
        "src/addon/fence-wait.cc",
        "src/addon/instance.cc",
        "src/addon/loader.cc",
        "src/addon/mapping.cc",
        "src/addon/memory.cc",
        "src/addon/pipelines.cc",
        "src/addon/queue.cc",
        "src/addon/reservation.cc",
        "src/addon/resources.cc",
        "src/addon/state.cc",
        "src/addon/view-guard.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++20", "-fexceptions", "-Wall", "-Wextra"],
      "libraries": ["-ldl"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++20",
        "WARNING_CFLAGS": ["-Wall", "-Wextra"]
      }
    }
  ]
}

package shop;

public record User(String name) {}

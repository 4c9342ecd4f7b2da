package shop;

public record DbUser(String name) {}
